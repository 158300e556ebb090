"""Fixtures: one running service per test session, orgs made with its admin CLI, clients."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest

from novavms import AsyncClient, Client
from novavms.models import PairingCodeResponse, PairResponse

from .support.service import GatewaySocket, Org, Service

T = TypeVar("T")

SETTINGS = {
    # Webhook receivers of the tests listen on 127.0.0.1 over plain HTTP.
    "WEBHOOK_ALLOW_HTTP": "true",
    "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
    "WEBHOOK_POLL_INTERVAL_MS": "100",
}


@pytest.fixture(scope="session")
def service() -> Iterator[Service]:
    svc = Service()
    try:
        svc.start(**SETTINGS)
        yield svc
    finally:
        svc.stop()


@pytest.fixture(scope="session")
def new_org(service: Service) -> Callable[[str], Org]:
    """Makes another org (its first site and an admin key) with the admin CLI."""
    return service.create_org


@pytest.fixture(scope="session")
def org(new_org: Callable[[str], Org]) -> Org:
    return new_org("Acme Logistics")


@pytest.fixture
def client(service: Service, org: Org) -> Iterator[Client]:
    with Client(api_key=org.api_key, base_url=service.base_url) as c:
        yield c


@pytest.fixture
async def aclient(service: Service, org: Org) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(api_key=org.api_key, base_url=service.base_url) as c:
        yield c


@dataclass
class Paired:
    pairing: PairingCodeResponse
    paired: PairResponse

    @property
    def id(self) -> str:
        return self.pairing.id


@pytest.fixture
def pair_gateway(client: Client, org: Org) -> Callable[..., Paired]:
    """Generates a pairing code and redeems it, as an operator and then the gateway would."""

    def pair(name: str = "Gateway", site_id: str | None = None) -> Paired:
        pairing = client.gateways.generate_pairing_code(name=name, site_id=site_id or org.site_id)
        paired = client.gateways.pair(
            pairing_code=pairing.pairing_code, version="2026.04.12", local_ip="192.168.10.24"
        )
        return Paired(pairing, paired)

    return pair


@pytest.fixture
def connect_gateway(service: Service) -> Iterator[Callable[..., GatewaySocket]]:
    """Connects a paired gateway's WebSocket; closed (by the gateway) at the end of the test.
    `session` and `answers`: see `GatewaySocket`."""
    sockets: list[GatewaySocket] = []

    def connect(
        gateway_id: str,
        key: str,
        *,
        session: dict[str, Any] | None = None,
        answers: dict[str, dict[str, Any]] | None = None,
        **telemetry: object,
    ) -> GatewaySocket:
        sock = GatewaySocket(service.base_url, gateway_id, key, telemetry, session, answers)
        sockets.append(sock)
        return sock

    yield connect
    for sock in sockets:
        sock.close()


def eventually(
    fetch: Callable[[], T], until: Callable[[T], object] = bool, timeout: float = 10.0
) -> T:
    """Calls `fetch` until what it returns satisfies `until`, and returns that (the service
    writes some state a moment after the frame or the request that causes it)."""
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if until(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not so within {timeout} s: {value!r}")
        time.sleep(0.1)
