"""429 and 503 are retried after their Retry-After: bounded, configurable, and not for calls that
are not idempotent unless asked. The timing is measured on the requests a mock receives."""

from __future__ import annotations

import time
from email.utils import formatdate

import httpx
import pytest
import respx

import novavms
from novavms import AsyncClient, Client, RetryPolicy

BASE = "https://novavms.example.com"
SITES = {"data": [], "total": 0}
BUSY = {"error": "service_unavailable", "message": "The database is busy; retry"}
LIMITED = {"error": "rate_limited", "message": "Too many requests"}
CODE = {
    "id": "8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c",
    "pairing_code": "A7B3CX",
    "expires_at": "2026-04-21T14:30:00Z",
    "status": "registered",
}


class Clock:
    """Records when each request arrives, and answers from a script."""

    def __init__(self, *answers: httpx.Response) -> None:
        self.answers = list(answers)
        self.times: list[float] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.times.append(time.monotonic())
        return self.answers.pop(0)

    @property
    def gaps(self) -> list[float]:
        return [b - a for a, b in zip(self.times, self.times[1:], strict=False)]


def busy(retry_after: str | None = "1", status: int = 503) -> httpx.Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return httpx.Response(status, json=BUSY if status == 503 else LIMITED, headers=headers)


@respx.mock(base_url=BASE)
def test_503_is_retried_after_retry_after(respx_mock: respx.MockRouter) -> None:
    clock = Clock(busy("1"), httpx.Response(200, json=SITES))
    respx_mock.get("/api/v1/sites").mock(side_effect=clock)
    with Client(api_key="sk_live_x", base_url=BASE) as c:
        assert c.sites.list().total == 0
    assert len(clock.times) == 2
    assert 1.0 <= clock.gaps[0] < 2.5


@respx.mock(base_url=BASE)
def test_429_is_retried_too_and_an_http_date_is_understood(respx_mock: respx.MockRouter) -> None:
    later = formatdate(time.time() + 2, usegmt=True)  # whole seconds: 1 to 2 s from now
    clock = Clock(busy(later, status=429), httpx.Response(200, json=SITES))
    respx_mock.get("/api/v1/sites").mock(side_effect=clock)
    with Client(api_key="sk_live_x", base_url=BASE) as c:
        c.sites.list()
    assert len(clock.times) == 2
    assert 0.9 <= clock.gaps[0] < 2.5


@respx.mock(base_url=BASE)
def test_retries_are_bounded(respx_mock: respx.MockRouter) -> None:
    clock = Clock(busy("0"), busy("0"), busy("0"), busy("0"))
    respx_mock.get("/api/v1/sites").mock(side_effect=clock)
    with Client(api_key="sk_live_x", base_url=BASE) as c:
        with pytest.raises(novavms.ServiceUnavailable) as caught:
            c.sites.list()
        assert len(clock.times) == 3  # the call and max_retries=2 retries
        assert caught.value.retry_after == 0

        clock.answers = [busy("0"), busy("0")]
        clock.times.clear()
        with pytest.raises(novavms.ServiceUnavailable):
            c.with_options(retry=RetryPolicy(max_retries=1)).sites.list()
        assert len(clock.times) == 2

        clock.answers = [busy("0")]
        clock.times.clear()
        with pytest.raises(novavms.ServiceUnavailable):
            c.with_options(retry=RetryPolicy(max_retries=0)).sites.list()
        assert len(clock.times) == 1


@respx.mock(base_url=BASE)
def test_a_wait_longer_than_max_wait_is_not_waited_for(respx_mock: respx.MockRouter) -> None:
    clock = Clock(busy("120"))
    respx_mock.get("/api/v1/sites").mock(side_effect=clock)
    started = time.monotonic()
    with Client(api_key="sk_live_x", base_url=BASE) as c, pytest.raises(novavms.ServiceUnavailable):
        c.sites.list()
    assert len(clock.times) == 1
    assert time.monotonic() - started < 0.5


@respx.mock(base_url=BASE)
def test_without_retry_after_the_wait_doubles(respx_mock: respx.MockRouter) -> None:
    clock = Clock(busy(None), busy(None), httpx.Response(200, json=SITES))
    respx_mock.get("/api/v1/sites").mock(side_effect=clock)
    policy = RetryPolicy(default_wait=0.3)
    with Client(api_key="sk_live_x", base_url=BASE, retry=policy) as c:
        c.sites.list()
    assert len(clock.times) == 3
    first, second = clock.gaps
    assert first >= 0.3
    assert second >= 0.6
    assert first + second < 3


@respx.mock(base_url=BASE)
def test_a_post_is_not_retried_unless_asked(respx_mock: respx.MockRouter) -> None:
    clock = Clock(busy("1"))
    respx_mock.post("/api/v1/gateways/generate-pairing-code").mock(side_effect=clock)
    with Client(api_key="sk_live_x", base_url=BASE) as c:
        with pytest.raises(novavms.ServiceUnavailable):
            c.gateways.generate_pairing_code(name="Warehouse A", site_id=CODE["id"])
        assert len(clock.times) == 1

        clock.answers = [busy("1", status=429), httpx.Response(201, json=CODE)]
        clock.times.clear()
        eager = c.with_options(retry=RetryPolicy(non_idempotent=True))
        pairing = eager.gateways.generate_pairing_code(name="Warehouse A", site_id=CODE["id"])
    assert pairing.pairing_code == "A7B3CX"
    assert len(clock.times) == 2
    assert 1.0 <= clock.gaps[0] < 2.5


@respx.mock(base_url=BASE)
def test_a_patch_is_not_retried_a_delete_is(respx_mock: respx.MockRouter) -> None:
    gateway = "/api/v1/gateways/8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c"
    patch = Clock(busy("0"))
    delete = Clock(busy("0"), httpx.Response(204))
    respx_mock.patch(gateway).mock(side_effect=patch)
    respx_mock.delete(gateway).mock(side_effect=delete)
    with Client(api_key="sk_live_x", base_url=BASE) as c:
        with pytest.raises(novavms.ServiceUnavailable):
            c.gateways.update(CODE["id"], name="Rev 2")
        assert c.gateways.delete(CODE["id"]) is None
    assert (len(patch.times), len(delete.times)) == (1, 2)


@respx.mock(base_url=BASE)
def test_other_errors_are_not_retried(respx_mock: respx.MockRouter) -> None:
    clock = Clock(httpx.Response(500, json={"error": "internal_error", "message": "oops"}))
    respx_mock.get("/api/v1/sites").mock(side_effect=clock)
    with Client(api_key="sk_live_x", base_url=BASE) as c, pytest.raises(novavms.InternalError):
        c.sites.list()
    assert len(clock.times) == 1


@respx.mock(base_url=BASE)
async def test_the_async_client_retries_alike(respx_mock: respx.MockRouter) -> None:
    clock = Clock(busy("1"), httpx.Response(200, json=SITES))
    respx_mock.get("/api/v1/sites").mock(side_effect=clock)
    async with AsyncClient(api_key="sk_live_x", base_url=BASE) as c:
        assert (await c.sites.list()).total == 0
    assert len(clock.times) == 2
    assert 1.0 <= clock.gaps[0] < 2.5


@respx.mock(base_url=BASE)
def test_a_post_with_an_idempotency_key_is_retried(respx_mock: respx.MockRouter) -> None:
    clock = Clock(busy("0"), httpx.Response(201, json=CODE))
    respx_mock.post("/api/v1/gateways/generate-pairing-code").mock(side_effect=clock)
    keyed = Client(api_key="sk_live_x", base_url=BASE, headers={"Idempotency-Key": "pair-dock-1"})
    with keyed:
        keyed.gateways.generate_pairing_code(name="Warehouse A", site_id=CODE["id"])
    assert len(clock.times) == 2
    assert all(c.request.headers["idempotency-key"] == "pair-dock-1" for c in respx_mock.calls)
