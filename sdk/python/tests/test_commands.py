"""Remote commands (v1.3): create (with an Idempotency-Key), list and its iterator, get with
`wait_s`, cancel, and `wait`. First against a mock, to see exactly what goes on the wire and how
`wait` schedules its reads (on a fake clock); then against the running service, with a gateway
that declares `commands.v1` and answers."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

import novavms
from novavms import FINISHED_COMMAND_STATUSES, AsyncClient, Client, PageIterator, resources
from novavms.models import CommandListResponse, CommandResponse

from .conftest import Paired, eventually
from .support.service import Org, Service

BASE = "https://novavms.example.com"
GATEWAY = "8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c"
COMMAND = "c41d2e8f-6a3b-4f9c-8e1d-5b7a9c2e4f60"
PROBE = {"host": "192.168.10.31", "port": 554}


def command(status: str = "queued", **changes: Any) -> dict[str, Any]:
    """A command as the API answers it (the spec's example)."""
    finished = status not in {"queued", "sent", "accepted"}
    return {
        "id": COMMAND,
        "gateway_id": GATEWAY,
        "type": "network.probe",
        "params": PROBE,
        "status": status,
        "attempt": 0 if status == "queued" else 1,
        "timeout_s": 60,
        "created_at": "2026-04-21T14:20:00Z",
        "expires_at": "2026-04-21T14:25:00Z",
        "sent_at": None if status == "queued" else "2026-04-21T14:20:00Z",
        "accepted_at": None,
        "completed_at": "2026-04-21T14:20:01Z" if finished else None,
        "result": {"reachable": True, "latency_ms": 3.2} if status == "succeeded" else None,
        "error": None,
        "late_result": None,
        "actor": {"key_id": "2d4f6a8c-1e3b-4d5f-9a7c-8e0b2d4f6a1c", "key_name": "NOC operator"},
        **changes,
    }


def test_the_finished_statuses() -> None:
    assert {
        "succeeded",
        "failed",
        "rejected",
        "expired",
        "canceled",
        "timed_out",
    } == FINISHED_COMMAND_STATUSES


# -- on the wire -----------------------------------------------------------------------------


@respx.mock(base_url=BASE)
def test_create_sends_the_body_and_the_idempotency_key(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(f"/api/v1/gateways/{GATEWAY}/commands").mock(
        side_effect=[
            httpx.Response(201, json=command()),
            httpx.Response(200, json=command("sent")),  # the key again: the same command
            httpx.Response(201, json=command(type="gateway.reboot", params={})),
        ]
    )
    with Client(api_key="sk_live_x", base_url=BASE) as c:
        created = c.commands.create(
            uuid.UUID(GATEWAY),
            type="network.probe",
            params=PROBE,
            timeout_s=30,
            expires_in_s=0,
            idempotency_key="probe-rtsp-1",
        )
        replayed = c.commands.create(
            GATEWAY, type="network.probe", params=PROBE, idempotency_key="probe-rtsp-1"
        )
        plain = c.commands.create(GATEWAY, type="gateway.reboot")
    assert isinstance(created, CommandResponse)
    assert (created.id, created.status, created.params) == (COMMAND, "queued", PROBE)
    assert created.sent_at is None
    assert created.actor.key_name == "NOC operator"
    assert (replayed.id, replayed.status) == (COMMAND, "sent")  # a 200 parses as the 201 does
    assert plain.type == "gateway.reboot"

    first, second, third = (call.request for call in route.calls)
    assert json.loads(first.content) == {
        "type": "network.probe",
        "params": PROBE,
        "timeout_s": 30,
        "expires_in_s": 0,
    }
    assert first.headers["idempotency-key"] == "probe-rtsp-1"
    assert first.headers["authorization"] == "Bearer sk_live_x"
    assert second.headers["idempotency-key"] == "probe-rtsp-1"
    assert json.loads(second.content) == {"type": "network.probe", "params": PROBE}
    assert json.loads(third.content) == {"type": "gateway.reboot"}  # left out: not sent
    assert "idempotency-key" not in third.headers


@respx.mock(base_url=BASE)
def test_the_operations_key_replaces_the_clients(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(f"/api/v1/gateways/{GATEWAY}/commands").mock(
        return_value=httpx.Response(201, json=command())
    )
    keyed = Client(api_key="sk_live_x", base_url=BASE, headers={"idempotency-key": "client-wide"})
    with keyed:
        keyed.commands.create(GATEWAY, type="network.probe", params=PROBE, idempotency_key="own")
        keyed.commands.create(GATEWAY, type="network.probe", params=PROBE)
    first, second = (call.request for call in route.calls)
    assert first.headers.get_list("idempotency-key") == ["own"]
    assert second.headers.get_list("idempotency-key") == ["client-wide"]


@respx.mock(base_url=BASE)
def test_a_create_with_an_idempotency_key_is_retried_on_429(respx_mock: respx.MockRouter) -> None:
    limited = httpx.Response(
        429,
        json={"error": "rate_limited", "message": "The gateway has 16 unfinished commands"},
        headers={"Retry-After": "0"},
    )
    keyed = respx_mock.post(f"/api/v1/gateways/{GATEWAY}/commands").mock(
        side_effect=[limited, httpx.Response(201, json=command())]
    )
    with Client(api_key="sk_live_x", base_url=BASE) as c:
        assert c.commands.create(GATEWAY, type="gateway.reboot", idempotency_key="k1").id
        assert keyed.call_count == 2  # the key makes the POST safe to send again

        keyed.side_effect = [limited]
        with pytest.raises(novavms.RateLimited) as caught:
            c.commands.create(GATEWAY, type="gateway.reboot")  # no key: not retried
    assert keyed.call_count == 3
    assert (caught.value.status, caught.value.error, caught.value.retry_after) == (
        429,
        "rate_limited",
        0,
    )
    assert caught.value.operation == "commands_create"


@respx.mock(base_url=BASE)
def test_create_errors(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(f"/api/v1/gateways/{GATEWAY}/commands")
    with Client(api_key="sk_live_x", base_url=BASE) as c:
        route.mock(
            return_value=httpx.Response(
                400,
                json={
                    "error": "validation_error",
                    "message": "Invalid params for network.probe",
                    "details": [{"field": "params.port", "message": "must be an integer"}],
                },
            )
        )
        with pytest.raises(novavms.ValidationError) as invalid:
            c.commands.create(GATEWAY, type="network.probe", params={"host": "cam-1"})
        assert [(d.field, d.message) for d in invalid.value.details] == [
            ("params.port", "must be an integer")
        ]
        route.mock(return_value=httpx.Response(403, json={"error": "forbidden", "message": "x"}))
        with pytest.raises(novavms.Forbidden):
            c.commands.create(GATEWAY, type="gateway.reboot")
        route.mock(return_value=httpx.Response(404, json={"error": "not_found", "message": "x"}))
        with pytest.raises(novavms.NotFound):
            c.commands.create(GATEWAY, type="gateway.reboot")


@respx.mock(base_url=BASE)
def test_get_passes_wait_s_and_waits_that_much_longer(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(f"/api/v1/commands/{COMMAND}").mock(
        return_value=httpx.Response(200, json=command("succeeded"))
    )
    with Client(api_key="sk_live_x", base_url=BASE, timeout=10.0) as c:
        done = c.commands.get(COMMAND, wait_s=30)
        c.commands.get(COMMAND)
    assert done.status == "succeeded"
    assert done.result == {"reachable": True, "latency_ms": 3.2}
    held, plain = (call.request for call in route.calls)
    assert dict(held.url.params) == {"wait_s": "30"}
    assert dict(plain.url.params) == {}
    # The service may hold the first answer 30 s: a 10 s read timeout would cut it off.
    assert held.extensions["timeout"]["read"] == 40.0
    assert plain.extensions["timeout"]["read"] == 10.0
    assert held.extensions["timeout"]["connect"] == 10.0


@respx.mock(base_url=BASE)
def test_cancel_and_its_conflict(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(f"/api/v1/commands/{COMMAND}/cancel").mock(
        side_effect=[
            httpx.Response(200, json=command("canceled")),
            httpx.Response(
                409,
                json={
                    "error": "conflict",
                    "message": "Only a queued command can be canceled; this one is canceled",
                },
                headers={"X-Request-Id": "req-9"},
            ),
        ]
    )
    with Client(api_key="sk_live_x", base_url=BASE) as c:
        assert c.commands.cancel(COMMAND).status == "canceled"
        with pytest.raises(novavms.Conflict) as caught:
            c.commands.cancel(COMMAND)
    e = caught.value
    assert (e.status, e.error, e.operation, e.request_id) == (
        409,
        "conflict",
        "commands_cancel",
        "req-9",
    )
    assert "queued" in e.message
    assert route.call_count == 2  # a POST without a key: never retried
    assert all(call.request.content == b"" for call in route.calls)


@respx.mock(base_url=BASE)
def test_list_and_its_iterator(respx_mock: respx.MockRouter) -> None:
    def page(ids: range, cursor: str) -> httpx.Response:
        data = [command("succeeded", id=f"00000000-0000-4000-8000-{n:012d}") for n in ids]
        return httpx.Response(200, json={"data": data, "next_cursor": cursor})

    route = respx_mock.get(f"/api/v1/gateways/{GATEWAY}/commands").mock(
        side_effect=[
            page(range(1, 3), "12"),
            page(range(1, 3), "12"),
            page(range(3, 4), "13"),  # not full: the walk has caught up
        ]
    )
    with Client(api_key="sk_live_x", base_url=BASE) as c:
        first = c.commands.list(GATEWAY, status="succeeded", limit=2)
        walked = c.commands.iter(GATEWAY, status="succeeded", limit=2)
        assert isinstance(walked, PageIterator)
        assert route.call_count == 1  # nothing fetched before the first item is asked for
        ids = [cmd.id[-1] for cmd in walked]
    assert isinstance(first, CommandListResponse)
    assert (len(first.data), first.next_cursor) == (2, "12")
    assert ids == ["1", "2", "3"]
    assert walked.cursor == "13"
    assert [dict(call.request.url.params) for call in route.calls] == [
        {"status": "succeeded", "limit": "2"},
        {"status": "succeeded", "limit": "2"},
        {"status": "succeeded", "limit": "2", "after": "12"},
    ]


# -- wait, on a fake clock -------------------------------------------------------------------


class FakeClock:
    """The clock and the sleeps of `commands.wait`; a read that the service holds moves it on."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(resources, "_monotonic", fake.monotonic)
    monkeypatch.setattr(resources, "_sleep", fake.sleep)
    monkeypatch.setattr(resources, "_async_sleep", fake.async_sleep)
    return fake


class HeldReads:
    """Answers `GET /commands/{id}` from a script of statuses, holding each unfinished answer
    for the whole `wait_s` (as the service does) on the fake clock; records each read."""

    def __init__(self, clock: FakeClock, *statuses: str, held: bool = True) -> None:
        self.clock = clock
        self.statuses = list(statuses)
        self.held = held
        self.reads: list[tuple[float, int]] = []  # (when it started, its wait_s)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        wait_s = int(request.url.params["wait_s"])
        self.reads.append((self.clock.now, wait_s))
        status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        if status not in FINISHED_COMMAND_STATUSES and self.held:
            self.clock.now += wait_s
        return httpx.Response(200, json=command(status))


@respx.mock(base_url=BASE)
def test_wait_reads_until_the_command_is_finished(
    respx_mock: respx.MockRouter, clock: FakeClock
) -> None:
    server = HeldReads(clock, "queued", "sent", "accepted", "succeeded")
    respx_mock.get(f"/api/v1/commands/{COMMAND}").mock(side_effect=server)
    with Client(api_key="sk_live_x", base_url=BASE) as c:
        done = c.commands.wait(COMMAND, timeout_s=300)
    assert done.status == "succeeded"
    assert done.result == {"reachable": True, "latency_ms": 3.2}
    # Each read asks the service to hold it 30 s (the most it takes), one after the other.
    assert server.reads == [(1000.0, 30), (1030.0, 30), (1060.0, 30), (1090.0, 30)]
    assert clock.sleeps == []


@respx.mock(base_url=BASE)
def test_wait_stops_at_its_timeout_with_the_last_command_seen(
    respx_mock: respx.MockRouter, clock: FakeClock
) -> None:
    server = HeldReads(clock, "sent")
    route = respx_mock.get(f"/api/v1/commands/{COMMAND}").mock(side_effect=server)
    with Client(api_key="sk_live_x", base_url=BASE) as c:
        last = c.commands.wait(COMMAND, timeout_s=70.5)
    assert last.status == "sent"  # not raised: unfinished, as last read
    # 30 + 30 + 10 s held, then one last look at the deadline: never past it.
    assert server.reads == [(1000.0, 30), (1030.0, 30), (1060.0, 10), (1070.5, 0)]
    assert clock.sleeps == [0.5]
    assert clock.now == 1070.5
    assert route.call_count == 4


@respx.mock(base_url=BASE)
def test_wait_with_no_time_reads_once(respx_mock: respx.MockRouter, clock: FakeClock) -> None:
    server = HeldReads(clock, "queued")
    respx_mock.get(f"/api/v1/commands/{COMMAND}").mock(side_effect=server)
    with Client(api_key="sk_live_x", base_url=BASE) as c:
        assert c.commands.wait(COMMAND, timeout_s=0).status == "queued"
    assert server.reads == [(1000.0, 0)]


@respx.mock(base_url=BASE)
def test_wait_does_not_hammer_a_service_that_answers_at_once(
    respx_mock: respx.MockRouter, clock: FakeClock
) -> None:
    server = HeldReads(clock, "queued", held=False)  # ignores wait_s
    respx_mock.get(f"/api/v1/commands/{COMMAND}").mock(side_effect=server)
    with Client(api_key="sk_live_x", base_url=BASE) as c:
        assert c.commands.wait(COMMAND, timeout_s=3).status == "queued"
    assert [when for when, _ in server.reads] == [1000.0, 1001.0, 1002.0, 1003.0]
    assert [hold for _, hold in server.reads] == [3, 2, 1, 0]
    assert clock.sleeps == [1.0, 1.0, 1.0]


@respx.mock(base_url=BASE)
def test_wait_raises_what_get_raises(respx_mock: respx.MockRouter, clock: FakeClock) -> None:
    respx_mock.get(f"/api/v1/commands/{COMMAND}").mock(
        return_value=httpx.Response(404, json={"error": "not_found", "message": "Command"})
    )
    with Client(api_key="sk_live_x", base_url=BASE) as c, pytest.raises(novavms.NotFound):
        c.commands.wait(COMMAND, timeout_s=60)


@respx.mock(base_url=BASE)
async def test_the_async_client_alike(respx_mock: respx.MockRouter, clock: FakeClock) -> None:
    server = HeldReads(clock, "queued", "accepted")
    get = respx_mock.get(f"/api/v1/commands/{COMMAND}").mock(side_effect=server)
    created = respx_mock.post(f"/api/v1/gateways/{GATEWAY}/commands").mock(
        return_value=httpx.Response(201, json=command())
    )
    listed = respx_mock.get(f"/api/v1/gateways/{GATEWAY}/commands").mock(
        return_value=httpx.Response(200, json={"data": [command()], "next_cursor": "7"})
    )
    cancel = respx_mock.post(f"/api/v1/commands/{COMMAND}/cancel").mock(
        return_value=httpx.Response(409, json={"error": "conflict", "message": "sent"})
    )
    async with AsyncClient(api_key="sk_live_x", base_url=BASE) as c:
        made = await c.commands.create(GATEWAY, type="network.probe", idempotency_key="a-1")
        assert made.status == "queued"
        assert [x.id async for x in c.commands.iter(GATEWAY)] == [COMMAND]
        assert (await c.commands.list(GATEWAY)).next_cursor == "7"
        last = await c.commands.wait(COMMAND, timeout_s=45)
        assert (await c.commands.get(COMMAND, wait_s=5)).status == "accepted"
        with pytest.raises(novavms.Conflict):
            await c.commands.cancel(COMMAND)
    assert last.status == "accepted"  # still unfinished after 45 s
    # 30 s, then the 15 s left; then the get of 5 s.
    assert server.reads == [(1000.0, 30), (1030.0, 15), (1045.0, 5)]
    assert get.calls.last.request.extensions["timeout"]["read"] == 15.0
    assert created.calls.last.request.headers["idempotency-key"] == "a-1"
    assert listed.call_count == 2
    assert cancel.called


# -- against the service ---------------------------------------------------------------------

ANSWERS = {
    "network.probe": {"status": "succeeded", "result": {"reachable": True, "latency_ms": 1.5}},
    "gateway.restart_service": {
        "status": "failed",
        "error": {"code": "busy", "message": "A recording is being finalized"},
    },
}


def commands_gateway(
    service: Service,
    pair_gateway: Callable[..., Paired],
    connect_gateway: Callable[..., Any],
    name: str,
    answers: dict[str, dict[str, Any]] | None = None,
) -> tuple[Paired, Any]:
    """A paired gateway whose socket declared `commands.v1` (once the service recorded it)."""
    gw = pair_gateway(name)
    session = {"boot_id": str(uuid.uuid4()), "capabilities": ["commands.v1"]}
    socket = connect_gateway(gw.id, gw.paired.api_key, session=session, answers=answers)
    eventually(
        lambda: service.sql(
            "SELECT capabilities FROM gateway_telemetry WHERE gateway_id = $1", gw.id
        ),
        lambda rows: bool(rows) and "commands.v1" in (rows[0]["capabilities"] or []),
    )
    return gw, socket


def test_a_gateway_that_takes_no_commands(
    client: Client, pair_gateway: Callable[..., Paired]
) -> None:
    gw = pair_gateway("No commands")
    with pytest.raises(novavms.Conflict) as caught:
        client.commands.create(gw.id, type="gateway.reboot")
    assert "commands.v1" in caught.value.message
    empty = client.commands.list(gw.id)
    assert (empty.data, empty.next_cursor) == ([], "0")
    assert list(client.commands.iter(gw.id)) == []
    with pytest.raises(novavms.NotFound):
        client.commands.get(uuid.uuid4())
    with pytest.raises(novavms.NotFound):
        client.commands.cancel(uuid.uuid4())
    with pytest.raises(novavms.NotFound):
        client.commands.list(uuid.uuid4())
    with pytest.raises(novavms.ValidationError) as invalid:
        client.commands.get(uuid.uuid4(), wait_s=31)
    assert invalid.value.status == 400


def test_the_command_flow(
    service: Service,
    client: Client,
    pair_gateway: Callable[..., Paired],
    connect_gateway: Callable[..., Any],
) -> None:
    gw, _ = commands_gateway(service, pair_gateway, connect_gateway, "Commands", ANSWERS)
    key = f"probe-{uuid.uuid4()}"
    probe = {"host": "192.168.10.31", "port": 554}
    created = client.commands.create(gw.id, type="network.probe", params=probe, idempotency_key=key)
    assert (created.gateway_id, created.type) == (gw.id, "network.probe")
    assert created.params == {"host": "192.168.10.31", "port": 554}
    assert created.actor.key_id

    # The same request with the same key: the same command (200), as it is now.
    again = client.commands.create(gw.id, type="network.probe", params=probe, idempotency_key=key)
    assert again.id == created.id
    other = {**probe, "host": "192.168.10.32"}
    with pytest.raises(novavms.Conflict):  # the key, for another request
        client.commands.create(gw.id, type="network.probe", params=other, idempotency_key=key)

    started = time.monotonic()
    done = client.commands.wait(created.id, timeout_s=20)
    assert done.status == "succeeded"
    assert done.result == {"reachable": True, "latency_ms": 1.5}
    assert done.completed_at is not None
    assert done.sent_at is not None
    assert time.monotonic() - started < 15
    assert client.commands.get(created.id, wait_s=30) == done  # finished: answered at once
    assert time.monotonic() - started < 20

    failed = client.commands.wait(
        client.commands.create(gw.id, type="gateway.restart_service").id, timeout_s=20
    )
    assert failed.status == "failed"
    assert failed.error == {"code": "busy", "message": "A recording is being finalized"}

    with pytest.raises(novavms.Conflict) as caught:
        client.commands.cancel(created.id)  # finished: not queued
    assert caught.value.status == 409

    listed = client.commands.list(gw.id)
    assert [c.id for c in listed.data] == [created.id, failed.id]
    assert [c.id for c in client.commands.list(gw.id, status="failed").data] == [failed.id]
    walked = client.commands.iter(gw.id, limit=1)
    assert [c.id for c in walked] == [created.id, failed.id]
    assert walked.cursor == listed.next_cursor
    assert client.commands.list(gw.id, after=walked.cursor).data == []


def test_cancel_a_queued_command_and_wait_times_out(
    service: Service,
    client: Client,
    pair_gateway: Callable[..., Paired],
    connect_gateway: Callable[..., Any],
) -> None:
    gw, socket = commands_gateway(service, pair_gateway, connect_gateway, "Offline commands")
    socket.close()  # offline: its commands stay queued until it connects again
    eventually(lambda: client.gateways.get(gw.id).status == "offline")

    queued = client.commands.create(gw.id, type="gateway.reboot", expires_in_s=600)
    assert queued.status == "queued"
    started = time.monotonic()
    last = client.commands.wait(queued.id, timeout_s=2.5)
    took = time.monotonic() - started
    assert last.status == "queued"
    assert 2.0 <= took < 6.0

    canceled = client.commands.cancel(queued.id)
    assert canceled.status == "canceled"
    assert canceled.error is not None
    assert canceled.error["code"] == "canceled"
    with pytest.raises(novavms.Conflict):
        client.commands.cancel(queued.id)
    assert client.commands.wait(queued.id, timeout_s=30).status == "canceled"
    with pytest.raises(novavms.Conflict):  # offline and "only if online now"
        client.commands.create(gw.id, type="gateway.reboot", expires_in_s=0)


def test_a_viewer_reads_but_does_not_send(
    service: Service,
    client: Client,
    org: Org,
    pair_gateway: Callable[..., Paired],
) -> None:
    gw = pair_gateway("Viewer's")
    viewer = client.api_keys.create(name="Commands viewer", role="viewer")
    with Client(api_key=viewer.key, base_url=service.base_url) as c:
        assert c.commands.list(gw.id).data == []
        with pytest.raises(novavms.Forbidden):
            c.commands.create(gw.id, type="gateway.reboot")
        with pytest.raises(novavms.Forbidden):
            c.commands.cancel(uuid.uuid4())
    client.api_keys.delete(viewer.id)


async def test_the_async_client_against_the_service(
    service: Service,
    aclient: AsyncClient,
    client: Client,
    pair_gateway: Callable[..., Paired],
    connect_gateway: Callable[..., Any],
) -> None:
    gw, _ = commands_gateway(service, pair_gateway, connect_gateway, "Async commands", ANSWERS)
    made = await aclient.commands.create(gw.id, type="network.probe", params=PROBE)
    done = await aclient.commands.wait(made.id, timeout_s=20)
    assert (done.status, done.result) == ("succeeded", {"reachable": True, "latency_ms": 1.5})
    assert [c.id async for c in aclient.commands.iter(gw.id)] == [made.id]
