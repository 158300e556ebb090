"""Webhooks against the running service, with a receiver on 127.0.0.1 that checks every delivery
with `verify_webhook`: create, list, get, update, test, deliveries, redeliver, rotate-secret,
delete, and a real event delivered."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import novavms
from novavms import Client, verify_webhook
from novavms.models import DeliveryResponse

from .conftest import eventually
from .support.service import Org, Service


@dataclass
class Delivery:
    headers: dict[str, str]
    body: bytes


class Receiver:
    """An HTTP endpoint that keeps what it receives and answers 204."""

    def __init__(self) -> None:
        self.received: queue.Queue[Delivery] = queue.Queue()
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                received.put(Delivery(dict(self.headers.items()), self.rfile.read(length)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/novavms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def next(self, timeout: float = 15.0) -> Delivery:
        return self.received.get(timeout=timeout)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def hooks_org(new_org: Callable[[str], Org]) -> Org:
    """An org of its own, so that no other test's events reach the receiver."""
    return new_org("Webhook receiver org")


def test_webhook_lifecycle(service: Service, hooks_org: Org, receiver: Receiver) -> None:
    with Client(api_key=hooks_org.api_key, base_url=service.base_url) as client:
        created = client.webhooks.create(
            url=receiver.url, event_types=["gateway.updated"], description="NOC pager"
        )
        assert created.secret.startswith("whsec_")
        assert (created.enabled, created.disabled_reason, created.site_ids) == (True, None, None)
        assert created.event_types == ["gateway.updated"]

        fetched = client.webhooks.get(created.id)
        assert fetched.model_dump() == created.model_dump(exclude={"secret"})
        assert created.id in {w.id for w in client.webhooks.list().data}
        assert created.id in {w.id for w in client.webhooks.iter(limit=1)}

        # A test event, signed with the secret.
        queued = client.webhooks.test(created.id)
        assert isinstance(queued, DeliveryResponse)
        assert (queued.event_type, queued.status, queued.attempt) == ("webhook.test", "pending", 1)
        delivery = receiver.next()
        event = verify_webhook(created.secret, delivery.headers, delivery.body)
        assert event["type"] == "webhook.test"
        assert event["data"] == {"webhook_id": created.id}
        assert delivery.headers["webhook-id"] == event["id"] == queued.event_id
        with pytest.raises(novavms.WebhookVerificationError):
            verify_webhook("whsec_" + "A" * 32, delivery.headers, delivery.body)
        with pytest.raises(novavms.WebhookVerificationError):
            verify_webhook(created.secret, delivery.headers, delivery.body + b" ")

        # Its attempt, in the log; sent again on request.
        done = eventually(
            lambda: client.webhooks.deliveries(created.id, status="succeeded"), lambda d: d.data
        )
        (attempt,) = done.data
        assert (attempt.id, attempt.response_status, attempt.error) == (queued.id, 204, None)
        assert attempt.duration_ms is not None
        assert attempt.attempted_at is not None
        again = client.webhooks.redeliver(created.id, attempt.id)
        assert again.event_id == queued.event_id
        redelivered = receiver.next()
        assert redelivered.headers["webhook-id"] == queued.event_id
        verify_webhook(created.secret, redelivered.headers, redelivered.body)
        walked = eventually(
            lambda: list(client.webhooks.iter_deliveries(created.id, limit=1)),
            lambda attempts: len(attempts) == 2,
        )
        assert walked[0].id == attempt.id
        more = client.webhooks.deliveries(created.id, after=done.next_cursor)
        assert [d.id for d in more.data] == [walked[1].id]

        # A rotation: for a day both secrets sign.
        rotated = client.webhooks.rotate_secret(created.id)
        assert rotated.secret != created.secret
        in_a_day = datetime.now(timezone.utc) + timedelta(hours=24)
        assert abs(rotated.previous_secret_expires_at - in_a_day) < timedelta(minutes=5)
        client.webhooks.test(created.id)
        signed_twice = receiver.next()
        assert len(signed_twice.headers["webhook-signature"].split(" ")) == 2
        for secrets in ([rotated.secret], [created.secret], [rotated.secret, created.secret]):
            verify_webhook(secrets, signed_twice.headers, signed_twice.body)

        # A real event of the types asked for.
        pairing = client.gateways.generate_pairing_code(name="Hooked", site_id=hooks_org.site_id)
        client.gateways.update(pairing.id, name="Hooked (Rev 2)")
        delivered = receiver.next()
        update = verify_webhook([rotated.secret], delivered.headers, delivered.body)
        assert (update["type"], update["gateway_id"]) == ("gateway.updated", pairing.id)
        logged = client.events.list(gateway_id=pairing.id, type="gateway.updated").data
        assert [e.id for e in logged] == [update["id"]]
        assert logged[0].model_dump(mode="json", by_alias=True, exclude_unset=True) == update

        # Changes, then gone.
        paused = client.webhooks.update(
            created.id,
            enabled=False,
            description=None,
            event_types=["*"],
            site_ids=[hooks_org.site_id],
        )
        assert (paused.enabled, paused.description) == (False, None)
        assert (paused.event_types, paused.site_ids) == (["*"], [hooks_org.site_id])
        moved = client.webhooks.update(created.id, url=receiver.url + "/v2", enabled=True)
        assert (moved.url, moved.enabled) == (receiver.url + "/v2", True)
        assert moved.updated_at >= created.updated_at
        assert client.webhooks.delete(created.id) is None
        with pytest.raises(novavms.NotFound):
            client.webhooks.get(created.id)


def test_webhook_url_must_be_allowed(client: Client) -> None:
    with pytest.raises(novavms.ValidationError) as caught:
        client.webhooks.create(url="ftp://example.com/hook", event_types=["*"])
    assert caught.value.details
