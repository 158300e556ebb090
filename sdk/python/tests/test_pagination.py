"""Lists as the page shows them (`.data`, `.total` or `.next_cursor`), and iterators that walk
`offset` pages and `next_cursor` pages."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import respx

from novavms import Client, PageIterator
from novavms.models import EventResponse, GatewaySummary

from .conftest import Paired, eventually


def test_offset_pages(client: Client, pair_gateway: Callable[..., Paired]) -> None:
    site = client.sites.create(name="Five gateways")
    made = [pair_gateway(f"Gateway {n}", site.id).id for n in range(5)]

    page = client.gateways.list(site_id=site.id, limit=2)
    assert (len(page.data), page.total) == (2, 5)

    walked = client.gateways.iter(site_id=site.id, limit=2)
    assert isinstance(walked, PageIterator)
    gateways = list(walked)
    assert all(isinstance(g, GatewaySummary) for g in gateways)
    assert sorted(g.id for g in gateways) == sorted(made)
    # From an offset on: the rest.
    assert len(list(client.gateways.iter(site_id=site.id, limit=2, offset=3))) == 2
    assert list(client.gateways.iter(site_id=site.id, status="online")) == []


def test_cursor_pages(client: Client, pair_gateway: Callable[..., Paired]) -> None:
    gw = pair_gateway("Chatty")
    for n in range(4):
        client.gateways.update(gw.id, name=f"Chatty {n}")
    # registered, paired and four updates
    eventually(lambda: client.events.list(gateway_id=gw.id), lambda p: len(p.data) == 6)

    first = client.events.list(gateway_id=gw.id, limit=4)
    assert len(first.data) == 4
    second = client.events.list(gateway_id=gw.id, limit=4, after=first.next_cursor)
    assert [e.type for e in second.data] == ["gateway.updated"] * 2

    walked = client.events.iter(gateway_id=gw.id, limit=2)
    events = list(walked)
    assert all(isinstance(e, EventResponse) for e in events)
    assert [e.id for e in events] == [e.id for e in first.data + second.data]
    # The cursor where the walk stopped: resuming from it gives only what happened since.
    assert walked.cursor is not None
    assert list(client.events.iter(gateway_id=gw.id, after=walked.cursor)) == []
    client.gateways.update(gw.id, name="Chatty again")
    later = eventually(lambda: list(client.events.iter(gateway_id=gw.id, after=walked.cursor)))
    assert [e.type for e in later] == ["gateway.updated"]

    offline = list(client.events.iter(type="gateway.offline", gateway_id=gw.id))
    assert offline == []


def test_iterators_fetch_lazily_and_stop_on_a_short_page() -> None:
    with respx.mock(base_url="https://novavms.example.com") as mock:
        route = mock.get("/api/v1/events").mock(
            side_effect=[
                httpx.Response(200, json={"data": [_event(1), _event(2)], "next_cursor": "2"}),
                httpx.Response(200, json={"data": [_event(3)], "next_cursor": "9"}),
            ]
        )
        with Client(api_key="sk_live_x", base_url="https://novavms.example.com") as c:
            walked = c.events.iter(type="gateway.offline", limit=2)
            assert route.call_count == 0
            assert next(walked).seq == 1
            assert route.call_count == 1
            assert [e.seq for e in walked] == [2, 3]
        assert route.call_count == 2
        assert walked.cursor == "9"
        sent = [dict(call.request.url.params) for call in route.calls]
        assert sent == [
            {"type": "gateway.offline", "limit": "2"},
            {"type": "gateway.offline", "limit": "2", "after": "2"},
        ]


def _event(seq: int) -> dict[str, object]:
    return {
        "id": f"00000000-0000-4000-8000-{seq:012d}",
        "seq": seq,
        "type": "gateway.offline",
        "occurred_at": "2026-04-21T14:20:04Z",
        "org_id": "6c1e8d2f-3a4b-4c5d-9e6f-7a8b9c0d1e2f",
        "site_id": "b5e9f3a1-2c4d-4e6f-8a1b-3c5d7e9f1a2b",
        "gateway_id": "8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c",
        "data": {"previous_status": "online", "reason": "heartbeat_timeout"},
    }
