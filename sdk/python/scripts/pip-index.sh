#!/usr/bin/env bash
# Prints the package index pip should use: PIP_INDEX_URL when set, else the index-url (or the
# first extra-index-url) that `pip config list` shows; nothing when neither is set. With it as
# PIP_INDEX_URL, pip asks the machine's mirror alone instead of waiting on the public index.
#
#   export PIP_INDEX_URL="$(bash sdk/python/scripts/pip-index.sh [python])"
set -uo pipefail

if [ -n "${PIP_INDEX_URL:-}" ]; then
  printf '%s\n' "$PIP_INDEX_URL"
  exit 0
fi
config="$("${1:-python3}" -m pip config list 2>/dev/null || true)"
pick() { printf '%s\n' "$config" | sed -n "s/^[^=]*\.$1='\{0,1\}\([^' ]*\).*/\1/p" | head -n 1; }
index="$(pick index-url)"
[ -n "$index" ] || index="$(pick extra-index-url)"
[ -z "$index" ] || printf '%s\n' "$index"
