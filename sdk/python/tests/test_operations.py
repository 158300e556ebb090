"""Every operation of the spec against the running service (webhooks: test_webhooks.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest

import novavms
from novavms import Client
from novavms.models import GatewayResponse, GatewaySummary

from .conftest import Paired, eventually
from .support.service import Org, Service


class TestGateways:
    def test_generate_pairing_code_and_pair(self, client: Client, org: Org) -> None:
        pairing = client.gateways.generate_pairing_code(name="Dock 1", site_id=org.site_id)
        assert pairing.status == "registered"
        registered = client.gateways.get(pairing.id)
        assert (registered.status, registered.name, registered.version) == (
            "registered",
            "Dock 1",
            None,
        )

        # Case, spaces and dashes of the code are ignored; the key is not sent.
        spaced = f"{pairing.pairing_code[:3].lower()}-{pairing.pairing_code[3:]}"
        paired = client.with_options(api_key="sk_live_not_a_key_at_all_00000").gateways.pair(
            pairing_code=spaced, version="2026.04.12", local_ip="192.168.10.24"
        )
        assert paired.gateway_id == pairing.id
        assert paired.org_id == org.org_id
        gw = client.gateways.get(pairing.id)
        assert isinstance(gw, GatewayResponse)
        assert (gw.status, gw.version, gw.local_ip) == ("offline", "2026.04.12", "192.168.10.24")
        assert gw.created_at.tzinfo is not None
        assert gw.last_heartbeat_at is None

    def test_pair_name_is_used_only_when_the_gateway_has_none(
        self, client: Client, org: Org
    ) -> None:
        pairing = client.gateways.generate_pairing_code(
            name="Named by the operator", site_id=org.site_id
        )
        client.gateways.pair(pairing_code=pairing.pairing_code, name="Named by itself")
        assert client.gateways.get(pairing.id).name == "Named by the operator"

    def test_list_filters(self, client: Client, pair_gateway: Callable[..., Paired]) -> None:
        site = client.sites.create(name="Filter site")
        first = pair_gateway("Filter A", site.id)
        second = pair_gateway("Filter B", site.id)
        client.gateways.update(second.id, status="disabled")

        everything = client.gateways.list(site_id=site.id)
        assert everything.total == 2
        assert {g.id for g in everything.data} == {first.id, second.id}
        assert all(isinstance(g, GatewaySummary) for g in everything.data)

        disabled = client.gateways.list(site_id=site.id, status="disabled")
        assert [g.id for g in disabled.data] == [second.id]
        assert disabled.total == 1

        one = client.gateways.list(site_id=site.id, limit=1)
        rest = client.gateways.list(site_id=site.id, limit=1, offset=1)
        assert one.total == rest.total == 2
        assert {one.data[0].id, rest.data[0].id} == {first.id, second.id}

    def test_update_rename_move_disable_enable(
        self, client: Client, pair_gateway: Callable[..., Paired]
    ) -> None:
        gw = pair_gateway("Before")
        site = client.sites.create(name="Moved here")
        updated = client.gateways.update(gw.id, name="After", site_id=site.id)
        assert (updated.name, updated.site_id) == ("After", site.id)

        assert client.gateways.update(gw.id, status="disabled").status == "disabled"
        assert client.gateways.update(gw.id, status="offline").status == "offline"
        with pytest.raises(novavms.ValidationError):
            client.gateways.update(gw.id)  # no field

    def test_telemetry_before_any_report(
        self, client: Client, pair_gateway: Callable[..., Paired]
    ) -> None:
        gw = pair_gateway()
        telemetry = client.gateways.telemetry(gw.id)
        assert telemetry.gateway_id == gw.id
        assert (telemetry.cpu_percent, telemetry.memory_mb, telemetry.last_heartbeat_at) == (
            None,
            None,
            None,
        )
        assert telemetry.camera_recording_status == {}

    def test_telemetry_and_status_from_the_websocket(
        self,
        client: Client,
        pair_gateway: Callable[..., Paired],
        connect_gateway: Callable[..., object],
    ) -> None:
        gw = pair_gateway()
        connect_gateway(gw.id, gw.paired.api_key, cpu_percent=42.5, memory_mb=1024)
        telemetry = eventually(
            lambda: client.gateways.telemetry(gw.id), lambda t: t.cpu_percent is not None
        )
        assert (telemetry.cpu_percent, telemetry.memory_mb) == (42.5, 1024)
        assert telemetry.last_heartbeat_at is not None
        assert client.gateways.get(gw.id).status == "online"

    def test_availability(self, client: Client, pair_gateway: Callable[..., Paired]) -> None:
        gw = pair_gateway()
        default = client.gateways.availability(gw.id)
        assert default.to - default.from_ == timedelta(hours=24)
        now = datetime.now(timezone.utc).replace(microsecond=0)
        ranged = client.gateways.availability(gw.id, from_=now - timedelta(hours=2), to=now)
        assert (ranged.from_, ranged.to) == (now - timedelta(hours=2), now)
        assert ranged.online_seconds == 0
        assert ranged.uptime_percent in (None, 0)

    def test_delete(self, client: Client, org: Org, pair_gateway: Callable[..., Paired]) -> None:
        gw = pair_gateway()
        camera = client.cameras.create(name="Bound", site_id=org.site_id, gateway_id=gw.id)
        with pytest.raises(novavms.ValidationError):
            client.gateways.delete(gw.id)  # a camera is still bound
        client.cameras.update(camera.id, gateway_id=None)
        assert client.gateways.delete(gw.id) is None
        with pytest.raises(novavms.NotFound):
            client.gateways.get(gw.id)


class TestSites:
    def test_create_and_list(self, client: Client) -> None:
        site = client.sites.create(name="Warehouse A")
        assert site.name == "Warehouse A"
        listed = client.sites.list(limit=1000)
        assert site.id in {s.id for s in listed.data}
        assert listed.total == len(listed.data)


class TestApiKeys:
    def test_create_list_delete(self, service: Service, client: Client, org: Org) -> None:
        created = client.api_keys.create(
            name="NOC dashboard", role="viewer", site_ids=[org.site_id]
        )
        assert created.key.startswith("sk_live_")
        assert (created.role, created.site_ids) == ("viewer", [org.site_id])

        listed = client.api_keys.list()
        (mine,) = [k for k in listed.data if k.id == created.id]
        assert mine.name == "NOC dashboard"
        assert "key" not in mine.model_dump()  # never shown again

        with Client(api_key=created.key, base_url=service.base_url) as viewer:
            assert viewer.sites.list().data[0].id == org.site_id
            client.api_keys.delete(created.id)
            with pytest.raises(novavms.AuthRequired):
                viewer.sites.list()

    def test_org_wide_key(self, client: Client) -> None:
        created = client.api_keys.create(name="Ops", role="operator")
        assert created.site_ids is None
        client.api_keys.delete(created.id)


class TestCameras:
    def test_crud(self, client: Client, org: Org, pair_gateway: Callable[..., Paired]) -> None:
        gw = pair_gateway()
        camera = client.cameras.create(name="Dock door 3", site_id=org.site_id, gateway_id=gw.id)
        assert (camera.name, camera.site_id, camera.gateway_id) == (
            "Dock door 3",
            org.site_id,
            gw.id,
        )
        assert client.cameras.get(camera.id) == camera

        by_gateway = client.cameras.list(gateway_id=gw.id)
        assert [c.id for c in by_gateway.data] == [camera.id]
        assert camera.id in {
            c.id for c in client.cameras.list(site_id=org.site_id, limit=1000).data
        }

        renamed = client.cameras.update(camera.id, name="Dock door 4")
        assert (renamed.name, renamed.gateway_id) == ("Dock door 4", gw.id)
        unbound = client.cameras.update(camera.id, gateway_id=None)
        assert unbound.gateway_id is None
        assert client.cameras.list(gateway_id=gw.id).total == 0

        client.cameras.delete(camera.id)
        with pytest.raises(novavms.NotFound):
            client.cameras.get(camera.id)

    def test_recording_coverage(self, client: Client, org: Org) -> None:
        camera = client.cameras.create(name="Unreported", site_id=org.site_id)
        coverage = client.cameras.recording_coverage(camera.id)
        assert coverage.to - coverage.from_ == timedelta(hours=24)
        assert coverage.recording_seconds == 0
        assert coverage.coverage_percent is None


class TestEvents:
    def test_list_filters(self, client: Client, pair_gateway: Callable[..., Paired]) -> None:
        gw = pair_gateway()
        client.gateways.update(gw.id, name="Renamed")
        page = eventually(
            lambda: client.events.list(gateway_id=gw.id),
            lambda p: p.data and p.data[-1].type == "gateway.updated",
        )
        assert [e.type for e in page.data] == [
            "gateway.registered",
            "gateway.paired",
            "gateway.updated",
        ]
        assert all(e.gateway_id == gw.id for e in page.data)
        assert [e.seq for e in page.data] == sorted(e.seq for e in page.data)
        update = page.data[-1]
        assert update.data.changes is not None
        assert update.data.changes.name is not None
        assert (update.data.changes.name.from_, update.data.changes.name.to) == (
            "Gateway",
            "Renamed",
        )
        assert update.data.actor is not None

        typed = client.events.list(gateway_id=gw.id, type=["gateway.paired", "gateway.updated"])
        assert [e.type for e in typed.data] == ["gateway.paired", "gateway.updated"]
        assert (
            client.events.list(gateway_id=gw.id, type="gateway.paired").data[0].data.reason
            == "paired"
        )
        since = client.events.list(gateway_id=gw.id, since=update.occurred_at)
        assert update.id in {e.id for e in since.data}
        after = client.events.list(gateway_id=gw.id, after=str(page.data[0].seq))
        assert [e.id for e in after.data] == [e.id for e in page.data[1:]]


class TestHealth:
    def test_probes(self, service: Service) -> None:
        with Client(base_url=service.base_url, api_key=None) as anonymous:
            assert anonymous.health.live().status == "ok"
            assert anonymous.health.ready().status == "ok"
