#!/usr/bin/env bash
# The Python SDK's checks, from a clean clone: a virtualenv in sdk/python/.venv (made when
# missing), the package installed in it with its dev extras, then the models' drift check,
# ruff, mypy --strict and pytest (which starts the service from the repository: node and the
# repository's node_modules are needed). Exits non-zero when any of them fails.
#
#   bash sdk/python/scripts/check.sh [pytest arguments]
#
# pip's index: PIP_INDEX_URL when set, else the machine's mirror (scripts/pip-index.sh).
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec </dev/null
STARTED=$SECONDS
PYTHON="${PYTHON:-python3}"
VENV=.venv
FAILED=()

step() { printf '\n== %s\n' "$*"; }

run() {
  local name=$1
  shift
  local start=$SECONDS
  step "$name"
  if "$@"; then
    printf -- '-- %s: ok (%ss)\n' "$name" $((SECONDS - start))
  else
    printf -- '-- %s: FAILED (%ss)\n' "$name" $((SECONDS - start)) >&2
    FAILED+=("$name")
  fi
}

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
  echo "check.sh: $PYTHON is missing or older than Python 3.10" >&2
  exit 1
fi

if [ ! -x "$VENV/bin/python" ]; then
  step "virtualenv ($VENV)"
  "$PYTHON" -m venv "$VENV" || exit 1
fi
PY="$VENV/bin/python"
export PIP_DISABLE_PIP_VERSION_CHECK=1

index="$(bash scripts/pip-index.sh "$PY")"
[ -z "$index" ] || export PIP_INDEX_URL="$index"
echo "pip index: ${PIP_INDEX_URL:-the default of pip}"

# Reinstalled when pyproject.toml changed since the last install (the install is editable).
stamp="$VENV/.novavms-installed"
want="$(cksum pyproject.toml)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  step "pip install -e .[dev]"
  if ! "$PY" -m pip install --quiet --editable ".[dev]"; then
    echo "check.sh: installing the package failed" >&2
    exit 1
  fi
  printf '%s' "$want" >"$stamp"
fi

run "models drift (scripts/generate_models.py --check)" "$PY" scripts/generate_models.py --check
run "ruff check" "$VENV/bin/ruff" check .
run "mypy --strict" "$VENV/bin/mypy" --strict
if [ ! -d ../../node_modules/ts-node ]; then
  echo "check.sh: the repository's node_modules is missing (run npm ci at the repository root): the tests start the service with it" >&2
  FAILED+=("pytest (no node_modules)")
else
  run "pytest" "$PY" -m pytest "$@"
fi

printf '\n== %ss in total\n' $((SECONDS - STARTED))
if [ ${#FAILED[@]} -gt 0 ]; then
  printf 'FAILED: %s\n' "${FAILED[@]}" >&2
  exit 1
fi
echo "all checks passed"
