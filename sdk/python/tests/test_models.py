"""The models are generated from the spec: the committed file is what the generator gives, and
`--check` fails when the spec changes without them."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from novavms import models

from .support.service import REPO_ROOT

SCRIPTS = Path(__file__).parents[1] / "scripts"
SPEC_PATH = REPO_ROOT / "openapi" / "openapi.json"


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_models", SCRIPTS / "generate_models.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate_models"] = module
    spec.loader.exec_module(module)
    return module


def test_the_committed_models_are_current(capsys: pytest.CaptureFixture[str]) -> None:
    assert generator().main(["--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_check_fails_when_the_spec_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = json.loads(SPEC_PATH.read_text())
    spec["components"]["schemas"]["GatewayResponse"]["properties"]["firmware"] = {"type": "string"}
    changed = tmp_path / "openapi.json"
    changed.write_text(json.dumps(spec))
    out = Path(models.__file__)
    assert generator().main(["--check", "--spec", str(changed), "--out", str(out)]) == 1
    assert "+    firmware: str | None = None" in capsys.readouterr().out
    # Writing to another file leaves the committed one alone.
    copy = tmp_path / "models.py"
    assert generator().main(["--spec", str(changed), "--out", str(copy)]) == 0
    assert "firmware: str | None = None" in copy.read_text()
    assert generator().main(["--check"]) == 0


def test_models_read_the_wire() -> None:
    gw = models.GatewayResponse.model_validate(
        {
            "id": "8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c",
            "name": "Acme Logistics — Warehouse A",
            "site_id": "b5e9f3a1-2c4d-4e6f-8a1b-3c5d7e9f1a2b",
            "status": "online",
            "version": "2026.04.12",
            "local_ip": "192.168.10.24",
            "last_heartbeat_at": "2026-04-21T14:20:04Z",
            "created_at": "2026-02-01T09:00:00Z",
            "added_later": 1,
        }
    )
    assert gw.last_heartbeat_at is not None
    assert gw.last_heartbeat_at.year == 2026
    assert gw.model_extra == {"added_later": 1}  # fields newer than this client are kept
    change = models.FieldChange.model_validate({"from": "a", "to": "b"})
    assert (change.from_, change.to) == ("a", "b")
    assert change.model_dump(by_alias=True) == {"from": "a", "to": "b"}
    assert models.GatewayResponse.model_fields["status"].description is None
    assert "null for every site" in (
        models.ApiKeyResponse.model_fields["site_ids"].description or ""
    )
