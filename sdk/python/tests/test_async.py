"""AsyncClient against the running service: the same operations, awaited."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest

import novavms
from novavms import AsyncClient, AsyncPageIterator
from novavms.models import EventResponse

from .support.service import Org, Service


async def until(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := await check()):
        assert time.monotonic() < deadline, "not true in time"
        await asyncio.sleep(0.1)
    return value


async def test_the_gateway_flow(
    aclient: AsyncClient, org: Org, connect_gateway: Callable[..., Any]
) -> None:
    site = await aclient.sites.create(name="Async site")
    pairing = await aclient.gateways.generate_pairing_code(name="Async A", site_id=site.id)
    paired = await aclient.gateways.pair(pairing_code=pairing.pairing_code, version="1.0")
    assert paired.gateway_id == pairing.id

    listed = await aclient.gateways.list(site_id=site.id)
    assert [g.id for g in listed.data] == [pairing.id]
    assert listed.total == 1

    socket = connect_gateway(pairing.id, paired.api_key, cpu_percent=7.5)
    telemetry = await until(
        lambda: _telemetry_with_cpu(aclient, pairing.id),
    )
    assert telemetry.cpu_percent == 7.5
    assert (await aclient.gateways.get(pairing.id)).status == "online"

    socket.close()
    offline: list[EventResponse] = await until(
        lambda: _collect(aclient.events.iter(type="gateway.offline", gateway_id=pairing.id))
    )
    assert [e.data.reason for e in offline] == ["closed_by_gateway"]

    availability = await aclient.gateways.availability(pairing.id)
    assert availability.to > availability.from_
    renamed = await aclient.gateways.update(pairing.id, name="Async B")
    assert renamed.name == "Async B"
    await aclient.gateways.delete(pairing.id)
    with pytest.raises(novavms.NotFound):
        await aclient.gateways.telemetry(pairing.id)


async def _telemetry_with_cpu(aclient: AsyncClient, gateway_id: str) -> Any:
    telemetry = await aclient.gateways.telemetry(gateway_id)
    return telemetry if telemetry.cpu_percent is not None else None


async def _collect(pages: AsyncPageIterator[EventResponse]) -> list[EventResponse]:
    return [item async for item in pages]


async def test_every_other_resource(aclient: AsyncClient, org: Org) -> None:
    assert (await aclient.health.live()).status == "ok"
    assert (await aclient.health.ready()).status == "ok"
    assert org.site_id in {s.id async for s in aclient.sites.iter()}

    key = await aclient.api_keys.create(name="Async key", role="viewer")
    assert key.id in {k.id async for k in aclient.api_keys.iter(limit=1)}
    assert key.id in {k.id for k in (await aclient.api_keys.list(limit=1000)).data}
    await aclient.api_keys.delete(key.id)

    camera = await aclient.cameras.create(name="Async camera", site_id=org.site_id)
    assert (await aclient.cameras.get(camera.id)).name == "Async camera"
    assert camera.id in {c.id async for c in aclient.cameras.iter(site_id=org.site_id)}
    assert (await aclient.cameras.list(site_id=org.site_id, limit=1000)).total >= 1
    assert (await aclient.cameras.update(camera.id, name="Renamed")).name == "Renamed"
    assert (await aclient.cameras.recording_coverage(camera.id)).recording_seconds == 0
    await aclient.cameras.delete(camera.id)

    page = await aclient.events.list(limit=1)
    assert len(page.data) == 1


async def test_concurrent_calls_share_the_pool(aclient: AsyncClient) -> None:
    sites = await asyncio.gather(*(aclient.sites.create(name=f"Parallel {n}") for n in range(8)))
    assert len({s.id for s in sites}) == 8


async def test_errors(service: Service) -> None:
    async with AsyncClient(
        api_key="sk_live_wrong_wrong_wrong_wrong", base_url=service.base_url
    ) as c:
        with pytest.raises(novavms.AuthRequired) as caught:
            await c.gateways.list()
    assert caught.value.status == 401
