"""Error answers become exceptions: one class per code, carrying status, error, message,
details, retry_after and the request id."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import httpx
import pytest
import respx

import novavms
from novavms import Client, RetryPolicy

from .support.service import Org, Service, free_port


def test_auth_required(service: Service) -> None:
    c = Client(api_key="sk_live_unknown_unknown_unknown", base_url=service.base_url)
    with c, pytest.raises(novavms.AuthRequired) as caught:
        c.gateways.list()
    e = caught.value
    assert (e.status, e.error) == (401, "auth_required")
    assert e.message
    assert e.details == []
    assert e.operation == "gateways_list"
    assert e.request_id
    assert isinstance(e, novavms.ApiError)
    assert isinstance(e, novavms.NovaVMSError)
    assert str(e) == f"gateways_list: 401 auth_required: {e.message}"


def test_no_key_at_all(service: Service) -> None:
    with Client(api_key=None, base_url=service.base_url) as c, pytest.raises(novavms.AuthRequired):
        c.sites.list()


def test_forbidden(service: Service, client: Client, org: Org) -> None:
    viewer = client.api_keys.create(name="viewer", role="viewer")
    c = Client(api_key=viewer.key, base_url=service.base_url)
    with c, pytest.raises(novavms.Forbidden) as caught:
        c.gateways.generate_pairing_code(name="x", site_id=org.site_id)
    assert (caught.value.status, caught.value.error) == (403, "forbidden")


def test_not_found(client: Client, new_org: Callable[[str], Org], service: Service) -> None:
    with pytest.raises(novavms.NotFound) as caught:
        client.gateways.get(uuid.uuid4())
    assert (caught.value.status, caught.value.error) == (404, "not_found")
    # Another org's gateway is not found either.
    other = new_org("Other org")
    with Client(api_key=other.api_key, base_url=service.base_url) as theirs:
        foreign = theirs.gateways.generate_pairing_code(name="Theirs", site_id=other.site_id)
        theirs.gateways.pair(pairing_code=foreign.pairing_code)
    with pytest.raises(novavms.NotFound):
        client.gateways.get(foreign.id)


def test_validation_error_details(client: Client) -> None:
    with pytest.raises(novavms.ValidationError) as caught:
        client.gateways.generate_pairing_code(name="", site_id=str(uuid.uuid4()))
    e = caught.value
    assert (e.status, e.error) == (400, "validation_error")
    fields = {d.field for d in e.details}
    assert "name" in fields
    assert all(d.message for d in e.details)


def test_validation_error_for_a_bad_id(client: Client) -> None:
    with pytest.raises(novavms.ValidationError) as caught:
        client.gateways.get("not-a-uuid")
    assert caught.value.status == 400


def test_conflict_and_gone(client: Client, org: Org, service: Service) -> None:
    used = client.gateways.generate_pairing_code(name="Used", site_id=org.site_id)
    client.gateways.pair(pairing_code=used.pairing_code)
    with pytest.raises(novavms.Conflict) as conflict:
        client.gateways.pair(pairing_code=used.pairing_code)
    assert (conflict.value.status, conflict.value.error) == (409, "conflict")

    expired = client.gateways.generate_pairing_code(name="Expired", site_id=org.site_id)
    service.sql(
        "UPDATE pairing_codes SET created_at = created_at - interval '11 minutes',"
        " expires_at = expires_at - interval '11 minutes' WHERE gateway_id = $1",
        expired.id,
    )
    with pytest.raises(novavms.Gone) as gone:
        client.gateways.pair(pairing_code=expired.pairing_code)
    assert (gone.value.status, gone.value.error) == (410, "gone")


def test_unknown_pairing_code(client: Client) -> None:
    with pytest.raises(novavms.NotFound):
        client.gateways.pair(pairing_code="ZZZZZZ")


def test_payload_too_large(client: Client) -> None:
    with pytest.raises(novavms.PayloadTooLarge) as caught:
        client.sites.create(name="x" * 70_000)
    assert (caught.value.status, caught.value.error) == (413, "payload_too_large")


def test_rate_limited_pairing_codes(service: Service, new_org: Callable[[str], Org]) -> None:
    """The 6th active code of an org: 429 with Retry-After (the first code's expiry). A POST is
    not retried by default, and a wait longer than `max_wait` is never waited for."""
    org = new_org("Busy installer")
    with Client(api_key=org.api_key, base_url=service.base_url) as c:
        for n in range(5):
            c.gateways.generate_pairing_code(name=f"Gateway {n}", site_id=org.site_id)
        started = time.monotonic()
        with pytest.raises(novavms.RateLimited) as caught:
            c.gateways.generate_pairing_code(name="Gateway 6", site_id=org.site_id)
        assert time.monotonic() - started < 1
        eager = c.with_options(retry=RetryPolicy(non_idempotent=True))
        with pytest.raises(novavms.RateLimited):
            eager.gateways.generate_pairing_code(name="Gateway 6", site_id=org.site_id)
        assert time.monotonic() - started < 2
    e = caught.value
    assert (e.status, e.error) == (429, "rate_limited")
    assert e.retry_after is not None
    assert 500 < e.retry_after <= 600


def test_disabled_gateway_code_cannot_be_redeemed(client: Client, org: Org) -> None:
    pending = client.gateways.generate_pairing_code(name="Disabled", site_id=org.site_id)
    client.gateways.update(pending.id, status="disabled")
    with pytest.raises(novavms.NotFound):
        client.gateways.pair(pairing_code=pending.pairing_code)


# -- answers the service does not give on demand: a mock -------------------------------------

BASE = "https://novavms.example.com"


@respx.mock(base_url=BASE)
def test_every_documented_code_has_its_class(respx_mock: respx.MockRouter) -> None:
    cases = {
        "validation_error": (400, novavms.ValidationError),
        "auth_required": (401, novavms.AuthRequired),
        "forbidden": (403, novavms.Forbidden),
        "not_found": (404, novavms.NotFound),
        "conflict": (409, novavms.Conflict),
        "gone": (410, novavms.Gone),
        "precondition_failed": (412, novavms.PreconditionFailed),
        "payload_too_large": (413, novavms.PayloadTooLarge),
        "rate_limited": (429, novavms.RateLimited),
        "internal_error": (500, novavms.InternalError),
        "service_unavailable": (503, novavms.ServiceUnavailable),
        "teapot_error": (418, novavms.ApiError),
    }
    with Client(api_key="sk_live_x", base_url=BASE, retry=RetryPolicy(max_retries=0)) as c:
        for code, (status, cls) in cases.items():
            respx_mock.get("/api/v1/sites").mock(
                return_value=httpx.Response(
                    status,
                    json={"error": code, "message": f"about {code}"},
                    headers={"Retry-After": "7", "X-Request-Id": "req-1"},
                )
            )
            with pytest.raises(novavms.ApiError) as caught:
                c.sites.list()
            assert type(caught.value) is cls
            assert (caught.value.status, caught.value.error) == (status, code)
            assert caught.value.message == f"about {code}"
            assert caught.value.retry_after == 7
            assert caught.value.request_id == "req-1"


@respx.mock(base_url=BASE)
def test_an_answer_that_is_not_an_error_body(respx_mock: respx.MockRouter) -> None:
    respx_mock.get("/api/v1/sites").mock(
        return_value=httpx.Response(502, text="<html>Bad gateway</html>")
    )
    with Client(api_key="sk_live_x", base_url=BASE) as c, pytest.raises(novavms.ApiError) as caught:
        c.sites.list()
    assert type(caught.value) is novavms.ApiError
    assert (caught.value.status, caught.value.error) == (502, "unexpected_response")
    assert "Bad gateway" in caught.value.message


@respx.mock(base_url=BASE)
def test_a_malformed_detail_does_not_hide_the_error(respx_mock: respx.MockRouter) -> None:
    body = {
        "error": "validation_error",
        "message": "name: must not be empty",
        "details": [{"field": "name", "message": "must not be empty"}, {"field": 3}, "x"],
    }
    respx_mock.get("/api/v1/sites").mock(return_value=httpx.Response(400, json=body))
    client = Client(api_key="sk_live_x", base_url=BASE)
    with client, pytest.raises(novavms.ValidationError) as caught:
        client.sites.list()
    assert caught.value.message == "name: must not be empty"
    assert [(d.field, d.message) for d in caught.value.details] == [("name", "must not be empty")]


@respx.mock(base_url=BASE)
def test_a_success_that_is_not_the_documented_body(respx_mock: respx.MockRouter) -> None:
    respx_mock.get("/api/v1/sites").mock(return_value=httpx.Response(200, json={"data": "?"}))
    with Client(api_key="sk_live_x", base_url=BASE) as c, pytest.raises(novavms.UnexpectedResponse):
        c.sites.list()


def test_network_error() -> None:
    c = Client(api_key="sk_live_x", base_url=f"http://127.0.0.1:{free_port()}")
    with c, pytest.raises(novavms.NetworkError) as caught:
        c.sites.list()
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
