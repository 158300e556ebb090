"""verify_webhook agrees with the npm `standardwebhooks` package on every committed vector."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import novavms
from novavms import verify_webhook

from .support.service import REPO_ROOT

FIXTURE = Path(__file__).parent / "fixtures" / "webhook_vectors.json"
SCRIPT = Path(__file__).parents[1] / "scripts" / "webhook_vectors.cjs"
VECTORS: list[dict[str, Any]] = json.loads(FIXTURE.read_text())["vectors"]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector(vector: dict[str, Any]) -> None:
    def verify() -> object:
        return verify_webhook(
            vector["secrets"], vector["headers"], vector["body"].encode(), now=vector["now"]
        )

    if vector["valid"]:
        assert verify() == vector["payload"]
    else:
        with pytest.raises(novavms.WebhookVerificationError):
            verify()


def test_the_vectors_cover_both_verdicts() -> None:
    assert {v["valid"] for v in VECTORS} == {True, False}
    assert any(len(v["secrets"]) > 1 for v in VECTORS)


@pytest.mark.skipif(
    not (REPO_ROOT / "node_modules" / "standardwebhooks").is_dir() or not shutil.which("node"),
    reason="needs node and the repository's node_modules",
)
def test_the_fixture_is_what_standardwebhooks_gives() -> None:
    made = subprocess.run(
        ["node", str(SCRIPT)], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(made.stdout) == json.loads(FIXTURE.read_text())


def _valid() -> dict[str, Any]:
    return next(v for v in VECTORS if v["name"] == "signed with the secret")


def test_a_single_secret_a_str_body_and_a_tolerance() -> None:
    v = _valid()
    (secret,) = v["secrets"]
    assert verify_webhook(secret, v["headers"], v["body"], now=v["now"]) == v["payload"]
    assert verify_webhook(secret, v["headers"], v["body"], now=v["now"] + 3000, tolerance=3600)
    with pytest.raises(novavms.WebhookVerificationError, match="too old"):
        verify_webhook(secret, v["headers"], v["body"], now=v["now"] + 11, tolerance=10)
    with pytest.raises(novavms.WebhookVerificationError, match=r"too (old|new)"):
        verify_webhook(secret, v["headers"], v["body"])  # the real clock, not 2026-04-21


def test_bad_secrets_are_programming_errors() -> None:
    v = _valid()
    secrets: list[str | list[str]] = ["whsec_", "whsec_not base64!", []]
    for secret in secrets:
        with pytest.raises(ValueError):  # noqa: PT011
            verify_webhook(secret, v["headers"], v["body"], now=v["now"])
