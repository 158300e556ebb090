"""The client itself: every operation of the spec has its method, named and with the parameters
the spec gives; settings from the environment; one connection pool; what goes on the wire."""

from __future__ import annotations

import inspect
import json
import re
import typing
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

import novavms
from novavms import NOT_GIVEN, AsyncClient, Client, models, resources

from .support.service import REPO_ROOT

SPEC = json.loads((REPO_ROOT / "openapi" / "openapi.json").read_text())
OPERATIONS = [
    (path, method, op)
    for path, ops in SPEC["paths"].items()
    for method, op in ops.items()
    if isinstance(op, dict) and "operationId" in op
]
BASE = "https://novavms.example.com"


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def header_keyword(header: str) -> str:
    """`Idempotency-Key` -> "idempotency_key"."""
    return header.lower().replace("-", "_")


def python_name(operation_id: str) -> tuple[str, str]:
    """`gateways_generatePairingCode` -> ("gateways", "generate_pairing_code")."""
    tag, method = operation_id.split("_", 1)
    return snake(tag), snake(method)


def literal_values(annotation: Any) -> set[str] | None:
    """The values of the Literal inside an annotation (`Status | None`, `Sequence[Type]`...)."""
    if typing.get_origin(annotation) is typing.Literal:
        return {str(a) for a in typing.get_args(annotation)}
    for arg in typing.get_args(annotation):
        found = literal_values(arg)
        if found is not None:
            return found
    return None


def document_parameter(method: str, op: dict[str, Any]) -> str | None:
    """The parameter of a body that is a whole document rather than named fields: a PUT's body
    (the representation that replaces the resource: a member left out is deleted, so it is
    passed whole, not as keywords that default to "not sent") and a JSON merge patch (RFC 7396)
    of one. It follows the path parameters, positional or keyword, required; its members are not
    keywords."""
    content = op.get("requestBody", {}).get("content", {})
    if "application/merge-patch+json" in content:
        return "patch"
    if method == "put" and content:
        return "document"
    return None


def spec_enum(schema: dict[str, Any]) -> set[str] | None:
    for candidate in (schema, schema.get("items", {})):
        if "enum" in candidate:
            return {str(v) for v in candidate["enum"]}
    return None


@pytest.mark.parametrize("client_class", [Client, AsyncClient])
@pytest.mark.parametrize(
    ("path", "method", "op"), OPERATIONS, ids=[o["operationId"] for *_, o in OPERATIONS]
)
def test_every_operation_has_its_method(
    client_class: type[Client] | type[AsyncClient], path: str, method: str, op: dict[str, Any]
) -> None:
    client = client_class(api_key="sk_live_x", base_url=BASE)
    tag, name = python_name(op["operationId"])
    bound = getattr(getattr(client, tag), name)
    assert (inspect.iscoroutinefunction(bound)) is (client_class is AsyncClient)
    signature = inspect.signature(bound)
    hints = typing.get_type_hints(bound.__wrapped__ if hasattr(bound, "__wrapped__") else bound)

    positional = [p.name for p in signature.parameters.values() if p.kind is p.POSITIONAL_ONLY]
    assert positional == re.findall(r"\{(\w+)\}", path)
    keywords = {
        p.name.rstrip("_"): p for p in signature.parameters.values() if p.kind is p.KEYWORD_ONLY
    }
    query = {p["name"]: p for p in op.get("parameters", []) if p["in"] == "query"}
    headers = {
        header_keyword(p["name"]): p for p in op.get("parameters", []) if p["in"] == "header"
    }
    assert not set(headers) & set(query)
    body_ref = op.get("requestBody", {}).get("content", {}).get("application/json", {})
    body_schema = (
        SPEC["components"]["schemas"][body_ref["schema"]["$ref"].rsplit("/", 1)[1]]
        if body_ref
        else {}
    )
    fields = body_schema.get("properties", {})
    either = [p for p in signature.parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD]
    whole = document_parameter(method, op)
    if whole is None:
        assert either == []
    else:
        assert [p.name for p in either] == [whole]
        assert either[0].default is inspect.Parameter.empty
        model = getattr(models, body_ref["schema"]["$ref"].rsplit("/", 1)[1])
        assert model in typing.get_args(hints[whole])  # the model, or a mapping of its members
        fields, body_schema = {}, {}
    assert set(keywords) == set(query) | set(fields) | set(headers)

    parameters = {**query, **headers}
    required = set(body_schema.get("required", [])) | {
        n for n, p in parameters.items() if p.get("required")
    }
    for wire, parameter in keywords.items():
        assert (parameter.default is inspect.Parameter.empty) is (wire in required), wire
        schema = parameters[wire]["schema"] if wire in parameters else fields[wire]
        expected = spec_enum(schema)
        if expected is not None:
            assert literal_values(hints[parameter.name]) == expected, wire


def test_the_models_are_the_spec_schemas() -> None:
    for name, schema in SPEC["components"]["schemas"].items():
        cls = getattr(models, f"{name}Body" if name.endswith("Error") else name)
        wire = {f.alias or n for n, f in cls.model_fields.items()}
        assert wire == set(schema.get("properties", {})), name
        required = {f.alias or n for n, f in cls.model_fields.items() if f.is_required()}
        assert required == set(schema.get("required", [])), name


def test_resources_are_one_class_per_tag() -> None:
    # The tags the spec declares and those its operations use (one may be missing from `tags`).
    used = {op["tags"][0] for *_, op in OPERATIONS}
    tags = {snake(t) for t in {t["name"] for t in SPEC["tags"]} | used}
    client = Client(api_key="sk_live_x", base_url=BASE)
    assert {n for n, v in vars(client).items() if isinstance(v, resources.SyncResource)} == tags


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOVAVMS_API_KEY", "sk_live_from_env")
    monkeypatch.setenv("NOVAVMS_BASE_URL", "https://env.example.com")
    with respx.mock(base_url="https://env.example.com") as mock:
        route = mock.get("/api/v1/sites").mock(
            return_value=httpx.Response(200, json={"data": [], "total": 0})
        )
        with Client() as c:
            assert c.base_url == "https://env.example.com"
            c.sites.list()
        with Client(api_key="sk_live_given", base_url="https://env.example.com") as c:
            c.sites.list()
    assert [call.request.headers["authorization"] for call in route.calls] == [
        "Bearer sk_live_from_env",
        "Bearer sk_live_given",
    ]
    monkeypatch.delenv("NOVAVMS_BASE_URL")
    assert Client().base_url == novavms.DEFAULT_BASE_URL == SPEC["servers"][0]["url"]


@respx.mock(base_url=BASE)
def test_what_goes_on_the_wire(respx_mock: respx.MockRouter) -> None:
    camera_id = "550e8400-e29b-41d4-a716-446655440000"
    camera = {
        "id": camera_id,
        "name": "Dock door 3",
        "site_id": "b5e9f3a1-2c4d-4e6f-8a1b-3c5d7e9f1a2b",
        "gateway_id": None,
        "created_at": "2026-02-01T09:00:00Z",
    }
    patch = respx_mock.patch(f"/api/v1/cameras/{camera_id}").mock(
        return_value=httpx.Response(200, json=camera)
    )
    events = respx_mock.get("/api/v1/events").mock(
        return_value=httpx.Response(200, json={"data": [], "next_cursor": "0"})
    )
    pair = respx_mock.post("/api/v1/gateways/pair").mock(
        return_value=httpx.Response(
            404, json={"error": "not_found", "message": "Unknown pairing code"}
        )
    )
    with Client(api_key="sk_live_x", base_url=BASE, headers={"X-Request-Id": "trace-7"}) as c:
        updated = c.cameras.update(camera_id, gateway_id=None)
        c.cameras.update(camera_id, name="Renamed", site_id=NOT_GIVEN)
        since = datetime(2026, 4, 21, 16, 0, tzinfo=timezone(timedelta(hours=2)))
        c.events.list(type=["gateway.offline", "gateway.online"], since=since, limit=10)
        with pytest.raises(novavms.NotFound):
            c.gateways.pair(pairing_code="A7B3CX")
    assert updated.gateway_id is None
    assert [json.loads(call.request.content) for call in patch.calls] == [
        {"gateway_id": None},
        {"name": "Renamed"},
    ]
    sent = events.calls.last.request
    assert dict(sent.url.params) == {
        "type": "gateway.offline,gateway.online",
        "since": "2026-04-21T14:00:00Z",
        "limit": "10",
    }
    assert sent.headers["x-request-id"] == "trace-7"
    assert sent.headers["user-agent"].startswith("novavms-python/")
    assert sent.headers["authorization"] == "Bearer sk_live_x"
    assert "authorization" not in pair.calls.last.request.headers  # a public operation


def test_a_base_url_with_a_path() -> None:
    with respx.mock() as mock:
        route = mock.get("https://proxy.example.com/novavms/healthz").mock(
            return_value=httpx.Response(200, json={"status": "ok"})
        )
        with Client(base_url="https://proxy.example.com/novavms/") as c:
            assert c.health.live().status == "ok"
    assert route.called


def test_one_pool_per_client() -> None:
    c = Client(api_key="sk_live_x", base_url=BASE)
    other = c.with_options(api_key="sk_live_y", timeout=3.0)
    assert other._core.http is c._core.http
    assert other._core.api_key == "sk_live_y"
    assert other._core.timeout == httpx.Timeout(3.0)
    other.close()  # not its pool: stays open
    assert not c._core.http.is_closed
    with c:
        pass
    assert c._core.http.is_closed

    own = httpx.Client()
    with Client(base_url=BASE, http_client=own):
        pass
    assert not own.is_closed  # passed in: the caller closes it
    own.close()


async def test_async_context_manager_closes_the_pool() -> None:
    async with AsyncClient(api_key="sk_live_x", base_url=BASE) as c:
        http = c._core.http
        assert c.with_options(api_key="sk_live_y")._core.http is http
    assert http.is_closed


def test_not_given_is_falsy_and_single() -> None:
    assert not NOT_GIVEN
    assert novavms.NotGiven() is NOT_GIVEN
    assert repr(NOT_GIVEN) == "NOT_GIVEN"


def test_methods_keep_the_operation_docs() -> None:
    c = Client(api_key="sk_live_x", base_url=BASE)
    assert "GET /api/v1/gateways" in (c.gateways.list.__doc__ or "")
    assert str(inspect.signature(c.gateways.get).return_annotation) == "GatewayResponse"
    assert "Every item" in (c.events.iter.__doc__ or "")


def test_the_version_is_the_package_version() -> None:
    pyproject = (Path(__file__).parents[1] / "pyproject.toml").read_text()
    assert f'version = "{novavms.__version__}"' in pyproject
