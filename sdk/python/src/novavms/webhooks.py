"""Verifying the deliveries a webhook endpoint receives (Standard Webhooks)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping, Sequence
from typing import Any

from .errors import WebhookVerificationError

__all__ = ["DEFAULT_TOLERANCE", "verify_webhook"]

DEFAULT_TOLERANCE = 300.0
"""Seconds a delivery's ``webhook-timestamp`` may be away from the receiver's clock."""

_PREFIX = "whsec_"


def _key(secret: str) -> bytes:
    raw = secret[len(_PREFIX) :] if secret.startswith(_PREFIX) else secret
    try:
        key = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError) as e:
        raise ValueError("a webhook secret is whsec_ followed by base64") from e
    if not key:
        raise ValueError("a webhook secret must not be empty")
    return key


def verify_webhook(
    secret: str | Sequence[str],
    headers: Mapping[str, str],
    body: bytes | str,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> Any:
    """Checks a delivery and returns its JSON payload (None for an empty body).

    ``secret`` is the endpoint's ``whsec_...`` secret, or several of them: during the 24 hours
    after a rotation pass both the new and the previous one, and a delivery signed with either
    is accepted. ``headers`` are the request's headers (any case); ``body`` is the raw body
    exactly as received — re-serialised JSON does not verify. A ``webhook-timestamp`` more than
    ``tolerance`` seconds away from ``now`` (default: this machine's clock) is refused.

    Raises ``WebhookVerificationError`` when the delivery is not authentic, ``ValueError``
    when a secret is malformed.
    """
    secrets = [secret] if isinstance(secret, str) else list(secret)
    if not secrets:
        raise ValueError("no webhook secret given")
    keys = [_key(s) for s in secrets]
    lower = {k.lower(): v for k, v in headers.items()}
    msg_id = lower.get("webhook-id")
    timestamp = lower.get("webhook-timestamp")
    signatures = lower.get("webhook-signature")
    if not msg_id or not timestamp or not signatures:
        raise WebhookVerificationError("missing required headers")
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise WebhookVerificationError("invalid webhook-timestamp") from None
    clock = int(time.time() if now is None else now)
    if clock - sent_at > tolerance:
        raise WebhookVerificationError("message timestamp too old")
    if sent_at - clock > tolerance:
        raise WebhookVerificationError("message timestamp too new")

    payload = body.encode() if isinstance(body, str) else bytes(body)
    signed = f"{msg_id}.{sent_at}.".encode() + payload
    expected = [base64.b64encode(hmac.new(k, signed, hashlib.sha256).digest()) for k in keys]
    for candidate in signatures.split(" "):
        version, _, value = candidate.partition(",")
        if version != "v1":
            continue
        given = value.encode()
        if any(hmac.compare_digest(given, e) for e in expected):
            return json.loads(payload) if payload else None
    raise WebhookVerificationError("no matching signature found")
