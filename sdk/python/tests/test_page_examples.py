"""The Python examples of the Gateway endpoints page (the spec's `x-codeSamples`), run as written:
first literally, against a mock that answers the spec's example of each operation, checking that
each sends exactly the request of the page's curl example; then against the real service, with
the page's ids replaced by the ids of real objects."""

from __future__ import annotations

import ast
import json
import re
import shlex
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
import respx

import novavms
from novavms import Client

from .conftest import eventually
from .support.service import REPO_ROOT, Org, Service

SPEC = json.loads((REPO_ROOT / "openapi" / "openapi.json").read_text())
PAGE_OPERATIONS = {
    "gateways_list",
    "gateways_generatePairingCode",
    "gateways_pair",
    "gateways_get",
    "gateways_telemetry",
    "gateways_update",
    "gateways_delete",
}
PAGE_GATEWAY = "8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c"
PAGE_SITE = "b5e9f3a1-2c4d-4e6f-8a1b-3c5d7e9f1a2b"
PAGE_CAMERA = "550e8400-e29b-41d4-a716-446655440000"
PAGE_CODE = "A7B3CX"
PAGE_FROM = "2026-04-20T00:00:00Z"


def samples() -> dict[str, dict[str, Any]]:
    """operationId -> its Python and curl examples, its 2xx status and example answer."""
    found: dict[str, dict[str, Any]] = {}
    for ops in SPEC["paths"].values():
        for op in ops.values():
            by_lang = {s["lang"]: s["source"] for s in op.get("x-codeSamples", [])}
            if "Python" not in by_lang:
                continue
            code, answer = next((c, r) for c, r in op["responses"].items() if c.startswith("2"))
            example = answer.get("content", {}).get("application/json", {}).get("example")
            found[op["operationId"]] = {
                "python": by_lang["Python"],
                "curl": by_lang["Shell"],
                "status": int(code),
                "example": example,
            }
    return found


SAMPLES = samples()


def curl_request(source: str) -> tuple[str, str, dict[str, str], Any]:
    """Method, path, query and JSON body of a curl example."""
    words = shlex.split(source.replace("\\\n", " "))
    method, data, url = "GET", None, ""
    for i, word in enumerate(words):
        if word == "-X":
            method = words[i + 1]
        elif word == "-d":
            data = json.loads(words[i + 1])
        elif word.startswith("https://"):
            url = word
    parts = urlsplit(url)
    return method, parts.path, dict(parse_qsl(parts.query)), data


def run(source: str, **names: Any) -> dict[str, Any]:
    """Runs an example with `names` defined; returns the names it bound, and as `_` the value
    of an example that is a bare expression (`client.gateways.delete(...)`)."""
    tree = ast.parse(source)
    last = tree.body[-1]
    if isinstance(last, ast.Expr):
        tree.body[-1] = ast.Assign([ast.Name("_", ast.Store())], last.value)
        ast.fix_missing_locations(tree)
    scope: dict[str, Any] = dict(names)
    exec(compile(tree, "<example>", "exec"), scope)
    return {k: v for k, v in scope.items() if k not in names and k != "__builtins__"}


def test_every_page_example_is_in_the_spec() -> None:
    assert set(SAMPLES) >= PAGE_OPERATIONS
    assert SAMPLES["gateways_list"]["python"] == "gateways = client.gateways.list()"


@pytest.mark.parametrize("operation", sorted(SAMPLES))
def test_example_sends_the_curl_request(operation: str) -> None:
    sample = SAMPLES[operation]
    method, path, curl_query, curl_body = curl_request(sample["curl"])
    with respx.mock(base_url="https://novavms.novalien.com", assert_all_called=True) as mock:
        route = mock.route(method=method, path=path).mock(
            return_value=httpx.Response(sample["status"], json=sample["example"])
            if sample["example"] is not None
            else httpx.Response(sample["status"])
        )
        with Client(api_key="sk_live_abc123", base_url="https://novavms.novalien.com") as client:
            scope = run(sample["python"], client=client, cursor="1042")
    sent = route.calls.last.request
    assert sent.method == method
    assert sent.url.path == path
    # Every parameter the example sends is the curl example's (the curl may show more).
    assert dict(sent.url.params) == {k: v for k, v in curl_query.items() if k in sent.url.params}
    assert json.loads(sent.content) == curl_body if curl_body is not None else not sent.content
    public = operation == "gateways_pair"
    assert ("authorization" in sent.headers) is not public
    if not public:
        assert sent.headers["authorization"] == "Bearer sk_live_abc123"
    (result,) = scope.values()
    if sample["example"] is None:
        assert result is None
    else:
        # An answer that is an array (a gateway's keys) is a list of models.
        dump = (
            [r.model_dump(mode="json", by_alias=True, exclude_unset=True) for r in result]
            if isinstance(result, list)
            else result.model_dump(mode="json", by_alias=True, exclude_unset=True)
        )
        assert dump == sample["example"]


def test_page_examples_against_the_service(
    service: Service,
    new_org: Callable[[str], Org],
    connect_gateway: Callable[..., Any],
) -> None:
    """The page's flow: generate a code, pair, list, get, telemetry, update, delete — and the
    spec's further examples (events, availability, recording coverage) on the same objects."""
    org = new_org("Page examples")
    page = SAMPLES
    with Client(api_key=org.api_key, base_url=service.base_url) as client:
        camera = client.cameras.create(name="Dock door 3", site_id=org.site_id)

        def example(operation: str, **names: Any) -> dict[str, Any]:
            source = page[operation]["python"]
            for placeholder, real in replacements.items():
                source = source.replace(placeholder, real)
            return run(source, client=client, **names)

        replacements = {PAGE_SITE: org.site_id, PAGE_CAMERA: camera.id}
        pairing = example("gateways_generatePairingCode")["pairing"]
        assert pairing.status == "registered"
        assert re.fullmatch(r"[A-HJ-KM-NP-Z2-9]{6}", pairing.pairing_code)
        assert pairing.expires_at > datetime.now(timezone.utc) + timedelta(minutes=9)
        replacements |= {PAGE_GATEWAY: pairing.id, PAGE_CODE: pairing.pairing_code}

        paired = example("gateways_pair")["paired"]
        assert paired.gateway_id == pairing.id
        assert paired.org_id == org.org_id
        assert paired.api_key.startswith("gw_")
        assert paired.ice_servers == []

        # The gateway connects and reports the telemetry of the page's example.
        reported = page["gateways_telemetry"]["example"]
        socket = connect_gateway(
            pairing.id,
            paired.api_key,
            cpu_percent=reported["cpu_percent"],
            memory_mb=reported["memory_mb"],
            camera_recording_status={camera.id: "recording"},
            network_throughput=reported["network_throughput"],
        )
        gateways = eventually(
            lambda: example("gateways_list")["gateways"], lambda g: g.data[0].status == "online"
        )
        assert gateways.total == 1
        assert gateways.data[0].id == pairing.id
        assert gateways.data[0].name == "Acme Logistics — Warehouse A"

        gw = example("gateways_get")["gw"]
        assert (gw.id, gw.site_id, gw.status) == (pairing.id, org.site_id, "online")
        assert (gw.version, gw.local_ip) == ("2026.04.12", "192.168.10.24")
        assert gw.last_heartbeat_at is not None

        telemetry = eventually(
            lambda: example("gateways_telemetry")["telemetry"], lambda t: t.cpu_percent is not None
        )
        assert telemetry.gateway_id == pairing.id
        assert telemetry.cpu_percent == reported["cpu_percent"]
        assert telemetry.memory_mb == reported["memory_mb"]
        assert telemetry.camera_recording_status == {camera.id: "recording"}
        assert telemetry.network_throughput.upstream_mbps == 5.2
        assert telemetry.network_throughput.downstream_mbps == 28.6

        # Availability and recording coverage count whole seconds: while it stays online, the
        # gateway's online time and the camera's recording time grow.
        replacements[PAGE_FROM] = (datetime.now(timezone.utc) - timedelta(hours=1)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        availability = eventually(
            lambda: example("gateways_availability")["a"], lambda a: a.online_seconds >= 1
        )
        assert availability.from_.strftime("%Y-%m-%dT%H:%M:%SZ") == replacements[PAGE_FROM]
        assert all(outage.ended_at is not None for outage in availability.outages)
        assert availability.uptime_percent is not None
        assert availability.uptime_percent > 0
        coverage = eventually(
            lambda: example("cameras_recordingCoverage")["c"], lambda c: c.recording_seconds >= 1
        )
        assert coverage.coverage_percent == 100

        socket.close()  # the gateway shuts down: offline at once, with an event
        events = eventually(lambda: example("events_list", cursor=None)["page"], lambda p: p.data)
        (offline,) = events.data
        assert (offline.type, offline.gateway_id) == ("gateway.offline", pairing.id)
        assert offline.data.reason == "closed_by_gateway"
        assert offline.data.previous_status == "online"
        assert events.next_cursor == str(offline.seq)

        updated = example("gateways_update")["_"]
        assert updated.name == "Acme Logistics — Warehouse A (Rev 2)"
        assert client.gateways.get(pairing.id).name == updated.name

        assert example("gateways_delete") == {"_": None}
        with pytest.raises(novavms.NotFound):
            client.gateways.get(pairing.id)


def test_the_readme_examples_are_python() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert len(blocks) >= 6
    for block in blocks:
        compile(
            block if "await" not in block else f"async def _():\n{_indent(block)}", "README", "exec"
        )
    # The page's examples appear in it as written.
    for operation in PAGE_OPERATIONS:
        assert SAMPLES[operation]["python"] in readme, operation


def _indent(text: str) -> str:
    return "".join(f"    {line}\n" for line in text.splitlines())
