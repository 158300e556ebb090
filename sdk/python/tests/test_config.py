"""Gateway configuration (v1.3): get with its ETag, put and patch (a merge patch) with If-Match,
the schema, and `update`, the read-modify-write that handles the ETag. First against a mock, to
see exactly what goes on the wire and how `update` retries after a 412; then against the running
service, with a gateway that declares `config.v1` and applies what it is sent."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

import novavms
from novavms import AsyncClient, Client, RetryPolicy, VersionedConfig
from novavms.models import CameraConfigSchema, ConfigDocumentSchema, GatewayConfigResponse

from .conftest import Paired, eventually
from .support.service import Org, Service

BASE = "https://novavms.example.com"
GATEWAY = "8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c"
CAMERA = "550e8400-e29b-41d4-a716-446655440000"
PATH = f"/api/v1/gateways/{GATEWAY}/config"
DESIRED = {
    "cameras": {CAMERA: {"fps": 15, "recording": "motion"}},
    "heartbeat_interval_s": 10,
    "log_level": "info",
    "timezone": "Europe/Berlin",
}


def answer(
    version: int = 7, desired: dict[str, Any] | None = None, **changes: Any
) -> dict[str, Any]:
    """A configuration as the API answers it (the spec's example, at `version`)."""
    return {
        "desired": DESIRED if desired is None else desired,
        "desired_version": version,
        "reported": DESIRED,
        "applied_version": 7,
        "reported_at": "2026-04-21T14:20:05Z",
        "sync": "in_sync" if version == 7 else "pending",
        "errors": [],
        **changes,
    }


def config(version: int = 7, desired: dict[str, Any] | None = None) -> httpx.Response:
    return httpx.Response(200, json=answer(version, desired), headers={"ETag": f'"{version}"'})


STALE = httpx.Response(
    412,
    json={
        "error": "precondition_failed",
        "message": 'The configuration is at version 8 (ETag "8"); read it again',
    },
)


def sent(call: Any) -> Any:
    return json.loads(call.request.content)


# -- on the wire -----------------------------------------------------------------------------


@respx.mock(base_url=BASE)
def test_get_returns_the_configuration_and_its_etag(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(PATH).mock(
        side_effect=[config(7), httpx.Response(200, json=answer(9))]  # the second without ETag
    )
    with Client(api_key="sk_live_x", base_url=BASE) as c:
        got = c.config.get(uuid.UUID(GATEWAY))
        bare = c.config.get(GATEWAY)
    assert isinstance(got, VersionedConfig)
    assert isinstance(got.config, GatewayConfigResponse)
    assert got.etag == '"7"'
    assert (got.config.desired_version, got.config.applied_version, got.config.sync) == (
        7,
        7,
        "in_sync",
    )
    camera = got.config.desired.cameras[CAMERA] if got.config.desired.cameras else None
    assert isinstance(camera, CameraConfigSchema)
    assert (camera.recording, camera.fps, camera.bitrate_kbps) == ("motion", 15, None)
    assert got.config.reported.timezone == "Europe/Berlin"
    assert got.config.reported_at is not None
    assert got.config.reported_at.year == 2026
    assert bare.etag == '"9"'  # no ETag header (a proxy dropped it): the desired version, quoted
    assert route.calls.last.request.headers["authorization"] == "Bearer sk_live_x"
    assert "if-match" not in route.calls.last.request.headers


@respx.mock(base_url=BASE)
def test_put_sends_the_whole_document_and_if_match(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.put(PATH).mock(return_value=config(8))
    with Client(api_key="sk_live_x", base_url=BASE) as c:
        written = c.config.put(GATEWAY, {"log_level": "debug"}, if_match='"7"')
        c.config.put(GATEWAY, document=DESIRED, if_match=7)  # a version is quoted
        c.config.put(GATEWAY, {"log_level": "warn", "timezone": None})  # unconditional
        model = ConfigDocumentSchema(
            log_level="error", cameras={CAMERA: CameraConfigSchema(recording="off")}
        )
        c.config.put(GATEWAY, model, if_match="*")
    assert (written.etag, written.config.desired_version) == ('"8"', 8)
    first, second, third, fourth = route.calls
    assert sent(first) == {"log_level": "debug"}
    assert first.request.headers["if-match"] == '"7"'
    assert first.request.headers["content-type"] == "application/json"
    assert sent(second) == DESIRED
    assert second.request.headers["if-match"] == '"7"'
    # A whole document has no null members: a None is a member left out.
    assert sent(third) == {"log_level": "warn"}
    assert "if-match" not in third.request.headers
    # A model: the fields that were given, at every depth (wire names).
    assert sent(fourth) == {"log_level": "error", "cameras": {CAMERA: {"recording": "off"}}}
    assert fourth.request.headers["if-match"] == "*"


@respx.mock(base_url=BASE)
def test_patch_sends_a_merge_patch(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.patch(PATH).mock(return_value=config(8))
    patch = {"log_level": None, "cameras": {CAMERA: {"fps": 10}}}
    with Client(api_key="sk_live_x", base_url=BASE) as c:
        written = c.config.patch(GATEWAY, patch, if_match='"7"')
        c.config.patch(GATEWAY, patch=ConfigDocumentSchema(timezone=None, retention_days=30))
    assert written.etag == '"8"'
    first, second = route.calls
    assert first.request.headers["content-type"] == "application/merge-patch+json"
    assert first.request.headers.get_list("content-type") == ["application/merge-patch+json"]
    assert first.request.headers["if-match"] == '"7"'
    assert sent(first) == patch  # null deletes: sent as it is
    # A model: what was set, None as null (delete); what was never set is left out.
    assert sent(second) == {"timezone": None, "retention_days": 30}
    assert second.request.headers["content-type"] == "application/merge-patch+json"
    assert "if-match" not in second.request.headers


@respx.mock(base_url=BASE)
def test_a_stale_if_match_raises_precondition_failed(respx_mock: respx.MockRouter) -> None:
    put = respx_mock.put(PATH).mock(return_value=STALE)
    patch = respx_mock.patch(PATH).mock(return_value=STALE)
    with Client(api_key="sk_live_x", base_url=BASE) as c:
        with pytest.raises(novavms.PreconditionFailed) as caught:
            c.config.put(GATEWAY, DESIRED, if_match='"7"')
        with pytest.raises(novavms.PreconditionFailed):
            c.config.patch(GATEWAY, {"log_level": "debug"}, if_match='"7"')
    e = caught.value
    assert isinstance(e, novavms.ApiError)
    assert (e.status, e.error, e.operation) == (412, "precondition_failed", "config_put")
    assert 'ETag "8"' in e.message
    assert (put.call_count, patch.call_count) == (1, 1)  # a 412 is never retried


@respx.mock(base_url=BASE)
def test_schema_is_the_json_schema(respx_mock: respx.MockRouter) -> None:
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "additionalProperties": False,
        "properties": {"log_level": {"enum": ["debug", "info", "warn", "error"]}},
    }
    route = respx_mock.get("/api/v1/config-schema").mock(
        side_effect=[httpx.Response(200, json=schema), httpx.Response(200, json=[1])]
    )
    with Client(api_key="sk_live_x", base_url=BASE) as c:
        assert c.config.schema() == schema
        with pytest.raises(novavms.UnexpectedResponse):
            c.config.schema()  # not a JSON object
    assert route.calls[0].request.headers["authorization"] == "Bearer sk_live_x"


# -- update: the ETag handled ----------------------------------------------------------------


def debug_level(doc: ConfigDocumentSchema) -> ConfigDocumentSchema:
    doc.log_level = "debug"
    return doc


@respx.mock(base_url=BASE)
def test_update_reads_changes_and_writes_with_if_match(respx_mock: respx.MockRouter) -> None:
    get = respx_mock.get(PATH).mock(return_value=config(7))
    put = respx_mock.put(PATH).mock(return_value=config(8, {**DESIRED, "log_level": "debug"}))
    seen: list[ConfigDocumentSchema] = []

    def change(doc: ConfigDocumentSchema) -> ConfigDocumentSchema:
        seen.append(doc)
        assert doc.cameras is not None
        doc.cameras[CAMERA].fps = 10
        return debug_level(doc)

    with Client(api_key="sk_live_x", base_url=BASE) as c:
        written = c.config.update(GATEWAY, change)
    assert (written.etag, written.config.desired.log_level) == ('"8"', "debug")
    assert (get.call_count, put.call_count) == (1, 1)
    assert put.calls.last.request.headers["if-match"] == '"7"'
    # The whole document read, with the change: nothing else dropped or added.
    assert sent(put.calls.last) == {
        **DESIRED,
        "log_level": "debug",
        "cameras": {CAMERA: {"fps": 10, "recording": "motion"}},
    }
    assert seen[0].log_level == "debug"


@respx.mock(base_url=BASE)
def test_update_reads_again_after_a_412(respx_mock: respx.MockRouter) -> None:
    """Another writer got in between: the change is made again, on what it wrote."""
    theirs = {**DESIRED, "retention_days": 30}
    get = respx_mock.get(PATH).mock(side_effect=[config(7), config(8, theirs)])
    put = respx_mock.put(PATH).mock(side_effect=[STALE, config(9)])
    seen: list[dict[str, Any]] = []

    def change(doc: ConfigDocumentSchema) -> dict[str, Any]:
        seen.append(doc.model_dump(exclude_none=True))
        return {**doc.model_dump(exclude_none=True), "log_level": "debug"}  # a mapping will do

    with Client(api_key="sk_live_x", base_url=BASE) as c:
        written = c.config.update(GATEWAY, change)
    assert written.etag == '"9"'
    assert (get.call_count, put.call_count) == (2, 2)
    assert [call.request.headers["if-match"] for call in put.calls] == ['"7"', '"8"']
    assert seen == [DESIRED, theirs]
    assert sent(put.calls.last) == {**theirs, "log_level": "debug"}


@respx.mock(base_url=BASE)
def test_update_stops_after_5_retries(respx_mock: respx.MockRouter) -> None:
    versions = iter(range(7, 100))
    get = respx_mock.get(PATH).mock(side_effect=lambda _: config(next(versions)))
    put = respx_mock.put(PATH).mock(return_value=STALE)
    with Client(api_key="sk_live_x", base_url=BASE) as c:
        with pytest.raises(novavms.PreconditionFailed) as caught:
            c.config.update(GATEWAY, debug_level)
        # The first write and 5 retries, each after a read of its own.
        assert (get.call_count, put.call_count) == (6, 6)
        assert [call.request.headers["if-match"] for call in put.calls] == [
            f'"{v}"' for v in range(7, 13)
        ]
        assert caught.value.operation == "config_put"

        with pytest.raises(novavms.PreconditionFailed):
            c.config.update(GATEWAY, debug_level, retries=0)
        assert (get.call_count, put.call_count) == (7, 7)


@respx.mock(base_url=BASE)
def test_update_raises_any_other_error_at_once(respx_mock: respx.MockRouter) -> None:
    get = respx_mock.get(PATH).mock(return_value=config(7))
    invalid = {
        "error": "validation_error",
        "message": "The configuration does not fit the schema (GET /api/v1/config-schema)",
        "details": [{"field": "log_level", "message": "must be one of debug, info, warn, error"}],
    }
    put = respx_mock.put(PATH).mock(return_value=httpx.Response(400, json=invalid))
    with Client(api_key="sk_live_x", base_url=BASE) as c:
        with pytest.raises(novavms.ValidationError) as caught:
            c.config.update(GATEWAY, lambda doc: {**doc.model_dump(), "log_level": "loud"})
        get.mock(return_value=httpx.Response(404, json={"error": "not_found", "message": "x"}))
        with pytest.raises(novavms.NotFound):
            c.config.update(GATEWAY, debug_level)
    assert [d.field for d in caught.value.details] == ["log_level"]
    assert (get.call_count, put.call_count) == (2, 1)


@respx.mock(base_url=BASE)
def test_put_is_retried_on_503_and_patch_is_not(respx_mock: respx.MockRouter) -> None:
    busy = httpx.Response(
        503,
        json={"error": "service_unavailable", "message": "busy"},
        headers={"Retry-After": "0"},
    )
    put = respx_mock.put(PATH).mock(side_effect=[busy, config(8)])
    patch = respx_mock.patch(PATH).mock(side_effect=[busy])
    with Client(api_key="sk_live_x", base_url=BASE, retry=RetryPolicy(default_wait=0)) as c:
        assert c.config.put(GATEWAY, DESIRED, if_match='"7"').etag == '"8"'  # PUT: idempotent
        with pytest.raises(novavms.ServiceUnavailable):
            c.config.patch(GATEWAY, {"log_level": "debug"})
    assert (put.call_count, patch.call_count) == (2, 1)


@respx.mock(base_url=BASE)
async def test_the_async_client_alike(respx_mock: respx.MockRouter) -> None:
    get = respx_mock.get(PATH).mock(side_effect=[config(7), config(7), config(8)])
    put = respx_mock.put(PATH).mock(side_effect=[config(8), STALE, config(9)])
    patch = respx_mock.patch(PATH).mock(return_value=config(10))
    respx_mock.get("/api/v1/config-schema").mock(
        return_value=httpx.Response(200, json={"type": "object"})
    )

    async def change(doc: ConfigDocumentSchema) -> ConfigDocumentSchema:  # a coroutine will do
        return debug_level(doc)

    async with AsyncClient(api_key="sk_live_x", base_url=BASE) as c:
        got = await c.config.get(GATEWAY)
        assert (got.etag, got.config.sync) == ('"7"', "in_sync")
        assert (await c.config.put(GATEWAY, DESIRED, if_match=got.etag)).etag == '"8"'
        updated = await c.config.update(GATEWAY, change)
        patched = await c.config.patch(GATEWAY, {"log_level": None}, if_match=updated.etag)
        assert await c.config.schema() == {"type": "object"}
    assert (updated.etag, patched.etag) == ('"9"', '"10"')
    assert [call.request.headers["if-match"] for call in put.calls] == ['"7"', '"7"', '"8"']
    assert sent(put.calls.last)["log_level"] == "debug"
    assert patch.calls.last.request.headers["content-type"] == "application/merge-patch+json"
    assert patch.calls.last.request.headers["if-match"] == '"9"'
    assert sent(patch.calls.last) == {"log_level": None}
    assert get.call_count == 3


# -- against the service ---------------------------------------------------------------------


def config_gateway(
    service: Service,
    pair_gateway: Callable[..., Paired],
    connect_gateway: Callable[..., Any],
    name: str,
) -> Paired:
    """A paired gateway whose socket declared `config.v1` at version 0 (once the service
    recorded it); it applies every configuration it is sent."""
    gw = pair_gateway(name)
    session = {"boot_id": str(uuid.uuid4()), "capabilities": ["config.v1"], "config_version": 0}
    connect_gateway(gw.id, gw.paired.api_key, session=session)
    eventually(
        lambda: service.sql(
            "SELECT capabilities FROM gateway_telemetry WHERE gateway_id = $1", gw.id
        ),
        lambda rows: bool(rows) and "config.v1" in (rows[0]["capabilities"] or []),
    )
    return gw


def test_the_configuration_flow(
    service: Service,
    client: Client,
    org: Org,
    pair_gateway: Callable[..., Paired],
    connect_gateway: Callable[..., Any],
) -> None:
    gw = config_gateway(service, pair_gateway, connect_gateway, "Configured")
    camera = client.cameras.create(name="Dock door 3", site_id=org.site_id, gateway_id=gw.id)

    empty = client.config.get(gw.id)
    assert empty.etag == '"0"'
    assert (empty.config.desired_version, empty.config.sync) == (0, "unknown")
    assert empty.config.desired.model_dump(exclude_none=True) == {}
    assert (empty.config.applied_version, empty.config.reported_at) == (None, None)

    desired = {
        "log_level": "info",
        "timezone": "Europe/Berlin",
        "heartbeat_interval_s": 10,
        "cameras": {camera.id: {"recording": "motion", "fps": 15}},
    }
    written = client.config.put(gw.id, desired, if_match=empty.etag)
    assert written.etag == '"1"'
    assert written.config.desired.model_dump(exclude_none=True) == desired

    # A write against the version before: someone else's change would be lost.
    with pytest.raises(novavms.PreconditionFailed) as caught:
        client.config.put(gw.id, {"log_level": "debug"}, if_match=empty.etag)
    assert (caught.value.status, caught.value.error) == (412, "precondition_failed")
    assert client.config.get(gw.id).etag == '"1"'  # nothing written

    patched = client.config.patch(
        gw.id,
        {"timezone": None, "cameras": {camera.id: {"fps": 10}}},
        if_match=written.config.desired_version,
    )
    assert patched.etag == '"2"'
    assert patched.config.desired.timezone is None
    cameras = patched.config.desired.cameras or {}
    assert (cameras[camera.id].recording, cameras[camera.id].fps) == ("motion", 10)

    # update: another writer comes in while the change is being made; it is made again.
    calls: list[int] = []

    def change(doc: ConfigDocumentSchema) -> ConfigDocumentSchema:
        calls.append(len(calls))
        if len(calls) == 1:
            client.config.patch(gw.id, {"retention_days": 30})  # unconditional: version 3
        doc.log_level = "debug"
        return doc

    updated = client.config.update(gw.id, change)
    assert len(calls) == 2
    assert updated.etag == '"4"'
    assert (updated.config.desired.log_level, updated.config.desired.retention_days) == (
        "debug",
        30,
    )

    # The gateway was sent each version and applied the last.
    synced = eventually(
        lambda: client.config.get(gw.id), lambda c: c.config.sync == "in_sync", timeout=15
    )
    assert synced.config.applied_version == 4
    assert synced.config.reported.model_dump() == synced.config.desired.model_dump()
    assert synced.config.reported_at is not None
    assert synced.config.errors == []

    schema = client.config.schema()
    assert schema["$schema"].startswith("http://json-schema.org/draft-07")
    assert "log_level" in schema["properties"]


def test_what_the_service_refuses(
    service: Service,
    client: Client,
    pair_gateway: Callable[..., Paired],
    connect_gateway: Callable[..., Any],
) -> None:
    plain = pair_gateway("No configuration")
    with pytest.raises(novavms.Conflict) as conflict:  # never declared config.v1
        client.config.put(plain.id, {"log_level": "debug"})
    assert "config.v1" in conflict.value.message
    with pytest.raises(novavms.NotFound):
        client.config.get(uuid.uuid4())

    gw = config_gateway(service, pair_gateway, connect_gateway, "Strict configuration")
    with pytest.raises(novavms.ValidationError) as invalid:
        client.config.patch(gw.id, {"log_level": "loud", "cameras": {str(uuid.uuid4()): {}}})
    assert invalid.value.details
    with pytest.raises(novavms.ValidationError):
        client.config.put(gw.id, {"log_level": "info"}, if_match="seven")  # not an ETag
    assert client.config.get(gw.id).etag == '"0"'


async def test_the_async_client_against_the_service(
    service: Service,
    aclient: AsyncClient,
    pair_gateway: Callable[..., Paired],
    connect_gateway: Callable[..., Any],
) -> None:
    gw = config_gateway(service, pair_gateway, connect_gateway, "Async configuration")
    first = await aclient.config.get(gw.id)
    await aclient.config.put(gw.id, {"log_level": "warn"}, if_match=first.etag)
    with pytest.raises(novavms.PreconditionFailed):
        await aclient.config.patch(gw.id, {"log_level": "error"}, if_match=first.etag)
    updated = await aclient.config.update(gw.id, debug_level)
    assert (updated.etag, updated.config.desired.log_level) == ('"2"', "debug")
