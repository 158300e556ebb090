"""Gateway credentials (v1.3): list a gateway's keys, rotate, revoke, and a code that pairs it
again. First against a mock, to see what goes on the wire and that the array answers parse into
models; then against the running service."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

import novavms
from novavms import AsyncClient, Client
from novavms.models import CredentialResponse, RepairingCodeResponse, RotationResponse

from .conftest import Paired, eventually
from .support.service import Service

BASE = "https://novavms.example.com"
GATEWAY = "8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c"
ACTIVE = {
    "id": "5b2e9c4a-7d1f-4e3a-8c6b-2f9d0e1a3b4c",
    "state": "active",
    "created_at": "2026-04-22T09:12:38Z",
    "last_used_at": "2026-04-22T09:12:40Z",
    "last_peer_address": "198.51.100.7",
    "expires_at": None,
}
RETIRING = {
    **ACTIVE,
    "id": "0c7d1e3f-5a2b-4c8d-9e6f-1a3b5c7d9e0f",
    "state": "retiring",
    "expires_at": "2026-04-23T09:12:40Z",
}


@respx.mock(base_url=BASE)
def test_on_the_wire(respx_mock: respx.MockRouter) -> None:
    listed = respx_mock.get(f"/api/v1/gateways/{GATEWAY}/credentials").mock(
        return_value=httpx.Response(200, json=[RETIRING, ACTIVE])
    )
    rotate = respx_mock.post(f"/api/v1/gateways/{GATEWAY}/rotate-key").mock(
        return_value=httpx.Response(
            202, json={"rotation_id": str(uuid.uuid4()), "status": "pending"}
        )
    )
    revoke = respx_mock.post(f"/api/v1/gateways/{GATEWAY}/revoke-keys").mock(
        return_value=httpx.Response(200, json=[{**ACTIVE, "state": "revoked"}])
    )
    code = respx_mock.post(f"/api/v1/gateways/{GATEWAY}/pairing-code").mock(
        return_value=httpx.Response(
            201,
            json={
                "id": GATEWAY,
                "pairing_code": "K4M7QZ",
                "expires_at": "2026-04-21T14:30:00Z",
                "status": "offline",
            },
        )
    )
    with Client(api_key="sk_live_x", base_url=BASE) as c:
        keys = c.credentials.list(GATEWAY)
        assert [type(k) for k in keys] == [CredentialResponse, CredentialResponse]
        assert [k.state for k in keys] == ["retiring", "active"]
        assert [k.expires_at is None for k in keys] == [False, True]
        assert isinstance(c.credentials.rotate_key(GATEWAY, grace_s=3600), RotationResponse)
        c.credentials.rotate_key(GATEWAY)
        assert [k.state for k in c.credentials.revoke_keys(GATEWAY)] == ["revoked"]
        pairing = c.gateways.create_pairing_code(GATEWAY)
        assert isinstance(pairing, RepairingCodeResponse)
        assert pairing.status == "offline"
    assert listed.call_count == revoke.call_count == code.call_count == 1
    # grace_s only when given: the service defaults it.
    assert [json.loads(call.request.content) for call in rotate.calls] == [{"grace_s": 3600}, {}]


@respx.mock(base_url=BASE)
def test_an_answer_that_is_not_an_array_is_an_error(respx_mock: respx.MockRouter) -> None:
    respx_mock.get(f"/api/v1/gateways/{GATEWAY}/credentials").mock(
        return_value=httpx.Response(200, json={"data": [ACTIVE]})
    )
    with Client(api_key="sk_live_x", base_url=BASE) as c, pytest.raises(novavms.NovaVMSError):
        c.credentials.list(GATEWAY)


def test_against_the_service(
    service: Service,
    client: Client,
    pair_gateway: Callable[..., Paired],
    connect_gateway: Callable[..., Any],
) -> None:
    gw = pair_gateway("Keys")
    [key] = client.credentials.list(gw.id)
    assert (key.state, key.last_used_at, key.expires_at) == ("active", None, None)

    # No session declaring credentials.v1 yet: a rotation is refused.
    with pytest.raises(novavms.Conflict):
        client.credentials.rotate_key(gw.id)
    session = {"boot_id": str(uuid.uuid4()), "capabilities": ["credentials.v1"]}
    connect_gateway(gw.id, gw.paired.api_key, session=session)
    eventually(
        lambda: service.sql(
            "SELECT capabilities FROM gateway_telemetry WHERE gateway_id = $1", gw.id
        ),
        lambda rows: bool(rows) and "credentials.v1" in (rows[0]["capabilities"] or []),
    )
    used = client.credentials.list(gw.id)[0]
    assert used.last_used_at is not None
    assert used.last_peer_address == "127.0.0.1"
    rotation = client.credentials.rotate_key(gw.id, grace_s=60)
    assert rotation.status == "pending"
    with pytest.raises(novavms.Conflict):  # one rotation at a time
        client.credentials.rotate_key(gw.id)

    revoked = client.credentials.revoke_keys(gw.id)
    assert [k.state for k in revoked] == ["revoked"]
    pairing = client.gateways.create_pairing_code(gw.id)
    assert (pairing.id, len(pairing.pairing_code)) == (gw.id, 6)
    again = client.gateways.pair(pairing_code=pairing.pairing_code)
    assert again.gateway_id == gw.id
    assert again.api_key != gw.paired.api_key
    assert [k.state for k in client.credentials.list(gw.id)] == ["revoked", "active"]


async def test_async(
    aclient: AsyncClient, client: Client, pair_gateway: Callable[..., Paired]
) -> None:
    gw = pair_gateway("Async keys")
    keys = await aclient.credentials.list(gw.id)
    assert [k.state for k in keys] == ["active"]
    with pytest.raises(novavms.Conflict):  # never declared credentials.v1
        await aclient.credentials.rotate_key(gw.id, grace_s=0)
    assert [k.state for k in await aclient.credentials.revoke_keys(gw.id)] == ["revoked"]
    pairing = await aclient.gateways.create_pairing_code(gw.id)
    assert pairing.status == "offline"
