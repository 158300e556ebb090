"""Exceptions: every non-2xx answer of the API is raised as an ApiError subclass."""

from __future__ import annotations

import email.utils
import time
from typing import Any, ClassVar

import httpx
import pydantic

from .models import ErrorDetailSchema

__all__ = [
    "ApiError",
    "AuthRequired",
    "Conflict",
    "Forbidden",
    "Gone",
    "InternalError",
    "NetworkError",
    "NotFound",
    "NovaVMSError",
    "PayloadTooLarge",
    "PreconditionFailed",
    "RateLimited",
    "ServiceUnavailable",
    "UnexpectedResponse",
    "ValidationError",
    "WebhookVerificationError",
]


class NovaVMSError(Exception):
    """Base class of every exception this package raises."""


class NetworkError(NovaVMSError):
    """The request got no HTTP answer: connection refused or reset, DNS failure, timeout.

    The httpx exception is the ``__cause__``.
    """


class WebhookVerificationError(NovaVMSError):
    """A webhook delivery is not authentic: a missing header, a bad signature or timestamp."""


class ApiError(NovaVMSError):
    """A non-2xx answer: its HTTP ``status`` and the ``{error, message, details}`` body.

    ``operation`` is the operationId that failed (``gateways_pair``, ...).
    ``error`` is the machine-readable code (``not_found``, ``conflict``, ...), or
    ``unexpected_response`` when the body was not an error body of the API (a proxy's page,
    say). ``details`` lists the problems of a ``validation_error`` (empty otherwise).
    ``retry_after`` is the ``Retry-After`` header in seconds, when the answer had one (429
    and 503 do).
    """

    code: ClassVar[str | None] = None
    """The ``error`` code this class stands for (None: any other)."""
    http_status: ClassVar[int | None] = None

    def __init__(
        self,
        operation: str,
        status: int,
        error: str,
        message: str,
        details: list[ErrorDetailSchema] | None = None,
        *,
        retry_after: float | None = None,
        request_id: str | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(f"{operation}: {status} {error}: {message}")
        self.operation = operation
        self.status = status
        self.error = error
        self.message = message
        self.details: list[ErrorDetailSchema] = details or []
        self.retry_after = retry_after
        self.request_id = request_id
        self.response = response


class ValidationError(ApiError):
    """400: a missing or invalid field, query parameter or id (see ``details``)."""

    code, http_status = "validation_error", 400


class AuthRequired(ApiError):
    """401: missing, malformed, unknown or revoked API key."""

    code, http_status = "auth_required", 401


class Forbidden(ApiError):
    """403: the key's role is too low, or the request names a site outside the key's sites."""

    code, http_status = "forbidden", 403


class NotFound(ApiError):
    """404: no such object in the caller's org (or outside the key's sites)."""

    code, http_status = "not_found", 404


class Conflict(ApiError):
    """409: e.g. a pairing code that was already redeemed."""

    code, http_status = "conflict", 409


class Gone(ApiError):
    """410: e.g. an expired pairing code."""

    code, http_status = "gone", 410


class PreconditionFailed(ApiError):
    """412: a stale ``If-Match``."""

    code, http_status = "precondition_failed", 412


class PayloadTooLarge(ApiError):
    """413: the request body is over 64 KiB."""

    code, http_status = "payload_too_large", 413


class RateLimited(ApiError):
    """429: too many requests (e.g. a sixth active pairing code); wait ``retry_after`` seconds."""

    code, http_status = "rate_limited", 429


class InternalError(ApiError):
    """500: the service failed."""

    code, http_status = "internal_error", 500


class ServiceUnavailable(ApiError):
    """503: the database is busy or unreachable; wait ``retry_after`` seconds."""

    code, http_status = "service_unavailable", 503


_CLASSES: tuple[type[ApiError], ...] = (
    ValidationError,
    AuthRequired,
    Forbidden,
    NotFound,
    Conflict,
    Gone,
    PreconditionFailed,
    PayloadTooLarge,
    RateLimited,
    InternalError,
    ServiceUnavailable,
)
BY_CODE: dict[str, type[ApiError]] = {c.code: c for c in _CLASSES if c.code}
BY_STATUS: dict[int, type[ApiError]] = {c.http_status: c for c in _CLASSES if c.http_status}


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """``Retry-After`` in seconds (delay-seconds or an HTTP-date); None when absent or invalid."""
    if value is None or not value.strip():
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    return max(0.0, seconds) if seconds == seconds else None  # NaN is not a delay


class UnexpectedResponse(ApiError):
    """A 2xx answer whose body is not what the spec documents for the operation."""

    def __init__(
        self, operation: str, status: int, message: str, response: httpx.Response | None = None
    ) -> None:
        super().__init__(operation, status, "unexpected_response", message, response=response)


def _details(raw: list[Any]) -> list[ErrorDetailSchema]:
    """The well-formed entries of an error body's ``details`` (a malformed one is left out
    rather than hiding the error behind a parsing failure)."""
    out: list[ErrorDetailSchema] = []
    for entry in raw:
        try:
            out.append(ErrorDetailSchema.model_validate(entry))
        except pydantic.ValidationError:
            continue
    return out


def error_from_response(operation: str, response: httpx.Response) -> ApiError:
    """The ApiError subclass for a non-2xx answer, by its ``error`` code, else by its status."""
    body: Any
    try:
        body = response.json()
    except ValueError:
        body = None
    status = response.status_code
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    request_id = response.headers.get("x-request-id")
    if (
        isinstance(body, dict)
        and isinstance(body.get("error"), str)
        and isinstance(body.get("message"), str)
    ):
        error, message = body["error"], body["message"]
        raw = body.get("details")
        details = _details(raw) if isinstance(raw, list) else []
        cls = BY_CODE.get(error) or BY_STATUS.get(status) or ApiError
    else:
        error, details = "unexpected_response", []
        text = response.text[:200] if response.content else ""
        message = f"HTTP {status}" + (f": {text}" if text else "")
        cls = BY_STATUS.get(status) or ApiError
    return cls(
        operation,
        status,
        error,
        message,
        details,
        retry_after=retry_after,
        request_id=request_id,
        response=response,
    )
