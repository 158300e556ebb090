"""Every operation of openapi/openapi.json, once: named after its operationId, it takes the
operation's path parameters (positional) and query parameters, body fields and header parameters
(keyword, named as on the wire; `Idempotency-Key` is `idempotency_key`) and returns the `Call`
that `Client` and `AsyncClient` send. A body that is a whole document (`config_put`'s, and the
merge patch of `config_patch`) is one parameter after the path parameters instead of fields.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from ._core import (
    NOT_GIVEN,
    Call,
    Id,
    Instant,
    NotGiven,
    body,
    headers,
    json_document,
    json_object,
    model,
    model_list,
    no_content,
    query,
)
from .models import (
    ApiKeyListResponse,
    AvailabilityResponse,
    CameraListResponse,
    CameraResponse,
    CommandListResponse,
    CommandResponse,
    CommandStatus,
    CommandType,
    ConfigDocumentSchema,
    CreatedApiKeyResponse,
    CreatedWebhookResponse,
    CredentialResponse,
    DeliveryListResponse,
    DeliveryResponse,
    DeliveryStatus,
    EventListResponse,
    EventType,
    GatewayConfigResponse,
    GatewayListResponse,
    GatewayResponse,
    GatewayStatus,
    GatewayStatusUpdate,
    HealthResponse,
    PairingCodeResponse,
    PairResponse,
    RecordingCoverageResponse,
    RepairingCodeResponse,
    Role,
    RotationResponse,
    SiteListResponse,
    SiteResponse,
    TelemetryResponse,
    WebhookEventType,
    WebhookListResponse,
    WebhookResponse,
    WebhookSecretResponse,
)

# -- gateways --------------------------------------------------------------------------------


def gateways_list(
    *,
    site_id: Id | None = None,
    status: GatewayStatus | None = None,
    limit: int | None = None,
    offset: int | None = None,
) -> Call[GatewayListResponse]:
    """List the gateways of the caller's org (`GET /api/v1/gateways`, viewer)."""
    return Call(
        "gateways_list",
        "GET",
        "/api/v1/gateways",
        model(GatewayListResponse),
        query=query(site_id=site_id, status=status, limit=limit, offset=offset),
        paging="offset",
    )


def gateways_generate_pairing_code(*, name: str, site_id: Id) -> Call[PairingCodeResponse]:
    """Register a gateway and get its 6-character pairing code, redeemable for 10 minutes
    (`POST /api/v1/gateways/generate-pairing-code`, operator)."""
    return Call(
        "gateways_generatePairingCode",
        "POST",
        "/api/v1/gateways/generate-pairing-code",
        model(PairingCodeResponse),
        body=body(name=name, site_id=site_id),
    )


def gateways_create_pairing_code(id: Id, /) -> Call[RepairingCodeResponse]:
    """A code that pairs this gateway again: `pair` with it returns a new key for the same id,
    cameras, configuration and history, and revokes the keys before
    (`POST /api/v1/gateways/{id}/pairing-code`, operator, since 1.3)."""
    return Call(
        "gateways_createPairingCode",
        "POST",
        "/api/v1/gateways/{id}/pairing-code",
        model(RepairingCodeResponse),
        path_params={"id": id},
    )


def gateways_pair(
    *,
    pairing_code: str,
    name: str | NotGiven = NOT_GIVEN,
    version: str | NotGiven = NOT_GIVEN,
    local_ip: str | NotGiven = NOT_GIVEN,
) -> Call[PairResponse]:
    """Redeem a pairing code, as the gateway itself does on first boot
    (`POST /api/v1/gateways/pair`, public: sent without the API key)."""
    return Call(
        "gateways_pair",
        "POST",
        "/api/v1/gateways/pair",
        model(PairResponse),
        body=body(pairing_code=pairing_code, name=name, version=version, local_ip=local_ip),
        public=True,
    )


def gateways_get(id: Id, /) -> Call[GatewayResponse]:
    """One gateway (`GET /api/v1/gateways/{id}`, viewer)."""
    return Call(
        "gateways_get",
        "GET",
        "/api/v1/gateways/{id}",
        model(GatewayResponse),
        path_params={"id": id},
    )


def gateways_telemetry(id: Id, /) -> Call[TelemetryResponse]:
    """The latest telemetry the gateway reported over its WebSocket
    (`GET /api/v1/gateways/{id}/telemetry`, viewer)."""
    return Call(
        "gateways_telemetry",
        "GET",
        "/api/v1/gateways/{id}/telemetry",
        model(TelemetryResponse),
        path_params={"id": id},
    )


def gateways_update(
    id: Id,
    /,
    *,
    name: str | NotGiven = NOT_GIVEN,
    site_id: Id | NotGiven = NOT_GIVEN,
    status: GatewayStatusUpdate | NotGiven = NOT_GIVEN,
) -> Call[GatewayResponse]:
    """Rename, move, disable (`status="disabled"`) or re-enable (`status="offline"`) a gateway
    (`PATCH /api/v1/gateways/{id}`, operator)."""
    return Call(
        "gateways_update",
        "PATCH",
        "/api/v1/gateways/{id}",
        model(GatewayResponse),
        path_params={"id": id},
        body=body(name=name, site_id=site_id, status=status),
    )


def gateways_delete(id: Id, /) -> Call[None]:
    """Unpair a gateway and remove it; its cameras must be moved or deleted first
    (`DELETE /api/v1/gateways/{id}`, operator)."""
    return Call(
        "gateways_delete", "DELETE", "/api/v1/gateways/{id}", no_content, path_params={"id": id}
    )


def gateways_availability(
    id: Id, /, *, from_: Instant | None = None, to: Instant | None = None
) -> Call[AvailabilityResponse]:
    """Online, offline and disabled time and the outages within a range (default: the last
    24 hours) (`GET /api/v1/gateways/{id}/availability`, viewer, since 1.2)."""
    return Call(
        "gateways_availability",
        "GET",
        "/api/v1/gateways/{id}/availability",
        model(AvailabilityResponse),
        path_params={"id": id},
        query=query(from_=from_, to=to),
    )


# -- sites -----------------------------------------------------------------------------------


def sites_list(*, limit: int | None = None, offset: int | None = None) -> Call[SiteListResponse]:
    """List the sites the key sees (`GET /api/v1/sites`, viewer)."""
    return Call(
        "sites_list",
        "GET",
        "/api/v1/sites",
        model(SiteListResponse),
        query=query(limit=limit, offset=offset),
        paging="offset",
    )


def sites_create(*, name: str) -> Call[SiteResponse]:
    """Create a site (`POST /api/v1/sites`, admin)."""
    return Call("sites_create", "POST", "/api/v1/sites", model(SiteResponse), body=body(name=name))


# -- API keys --------------------------------------------------------------------------------


def api_keys_list(
    *, limit: int | None = None, offset: int | None = None
) -> Call[ApiKeyListResponse]:
    """List the org's API keys, never the keys themselves (`GET /api/v1/api-keys`, admin)."""
    return Call(
        "apiKeys_list",
        "GET",
        "/api/v1/api-keys",
        model(ApiKeyListResponse),
        query=query(limit=limit, offset=offset),
        paging="offset",
    )


def api_keys_create(
    *, name: str, role: Role, site_ids: Sequence[Id] | NotGiven | None = NOT_GIVEN
) -> Call[CreatedApiKeyResponse]:
    """Create an API key; the answer's `key` is shown this once
    (`POST /api/v1/api-keys`, admin)."""
    return Call(
        "apiKeys_create",
        "POST",
        "/api/v1/api-keys",
        model(CreatedApiKeyResponse),
        body=body(name=name, role=role, site_ids=site_ids),
    )


def api_keys_delete(id: Id, /) -> Call[None]:
    """Revoke an API key; it stops working at once (`DELETE /api/v1/api-keys/{id}`, admin)."""
    return Call(
        "apiKeys_delete", "DELETE", "/api/v1/api-keys/{id}", no_content, path_params={"id": id}
    )


# -- cameras ---------------------------------------------------------------------------------


def cameras_list(
    *,
    site_id: Id | None = None,
    gateway_id: Id | None = None,
    limit: int | None = None,
    offset: int | None = None,
) -> Call[CameraListResponse]:
    """List cameras (`GET /api/v1/cameras`, viewer)."""
    return Call(
        "cameras_list",
        "GET",
        "/api/v1/cameras",
        model(CameraListResponse),
        query=query(site_id=site_id, gateway_id=gateway_id, limit=limit, offset=offset),
        paging="offset",
    )


def cameras_create(
    *, name: str, site_id: Id, gateway_id: Id | NotGiven | None = NOT_GIVEN
) -> Call[CameraResponse]:
    """Create a camera, optionally bound to the gateway that records it
    (`POST /api/v1/cameras`, operator)."""
    return Call(
        "cameras_create",
        "POST",
        "/api/v1/cameras",
        model(CameraResponse),
        body=body(name=name, site_id=site_id, gateway_id=gateway_id),
    )


def cameras_get(id: Id, /) -> Call[CameraResponse]:
    """One camera (`GET /api/v1/cameras/{id}`, viewer)."""
    return Call(
        "cameras_get", "GET", "/api/v1/cameras/{id}", model(CameraResponse), path_params={"id": id}
    )


def cameras_update(
    id: Id,
    /,
    *,
    name: str | NotGiven = NOT_GIVEN,
    site_id: Id | NotGiven = NOT_GIVEN,
    gateway_id: Id | NotGiven | None = NOT_GIVEN,
) -> Call[CameraResponse]:
    """Rename or move a camera; `gateway_id=None` unbinds it from its gateway
    (`PATCH /api/v1/cameras/{id}`, operator)."""
    return Call(
        "cameras_update",
        "PATCH",
        "/api/v1/cameras/{id}",
        model(CameraResponse),
        path_params={"id": id},
        body=body(name=name, site_id=site_id, gateway_id=gateway_id),
    )


def cameras_delete(id: Id, /) -> Call[None]:
    """Delete a camera (`DELETE /api/v1/cameras/{id}`, operator)."""
    return Call(
        "cameras_delete", "DELETE", "/api/v1/cameras/{id}", no_content, path_params={"id": id}
    )


def cameras_recording_coverage(
    id: Id, /, *, from_: Instant | None = None, to: Instant | None = None
) -> Call[RecordingCoverageResponse]:
    """Recording, not-recording and unknown time and the gaps within a range (default: the
    last 24 hours) (`GET /api/v1/cameras/{id}/recording-coverage`, viewer, since 1.2)."""
    return Call(
        "cameras_recordingCoverage",
        "GET",
        "/api/v1/cameras/{id}/recording-coverage",
        model(RecordingCoverageResponse),
        path_params={"id": id},
        query=query(from_=from_, to=to),
    )


# -- events ----------------------------------------------------------------------------------


def events_list(
    *,
    type: str | Sequence[EventType] | None = None,
    gateway_id: Id | None = None,
    site_id: Id | None = None,
    since: Instant | None = None,
    after: str | None = None,
    limit: int | None = None,
) -> Call[EventListResponse]:
    """The event log, oldest first; pass a page's `next_cursor` as `after` to read on.
    `type` is one type, a comma-separated list or a sequence of types
    (`GET /api/v1/events`, viewer, since 1.2)."""
    return Call(
        "events_list",
        "GET",
        "/api/v1/events",
        model(EventListResponse),
        query=query(
            type=type,
            gateway_id=gateway_id,
            site_id=site_id,
            since=since,
            after=after,
            limit=limit,
        ),
        paging="cursor",
    )


# -- webhooks --------------------------------------------------------------------------------


def webhooks_list(
    *, limit: int | None = None, offset: int | None = None
) -> Call[WebhookListResponse]:
    """List the org's webhook endpoints (`GET /api/v1/webhooks`, admin, since 1.2)."""
    return Call(
        "webhooks_list",
        "GET",
        "/api/v1/webhooks",
        model(WebhookListResponse),
        query=query(limit=limit, offset=offset),
        paging="offset",
    )


def webhooks_create(
    *,
    url: str,
    event_types: Sequence[WebhookEventType],
    site_ids: Sequence[Id] | NotGiven | None = NOT_GIVEN,
    description: str | NotGiven | None = NOT_GIVEN,
) -> Call[CreatedWebhookResponse]:
    """Register an endpoint; the answer's `secret` is shown this once
    (`POST /api/v1/webhooks`, admin, since 1.2)."""
    return Call(
        "webhooks_create",
        "POST",
        "/api/v1/webhooks",
        model(CreatedWebhookResponse),
        body=body(url=url, event_types=event_types, site_ids=site_ids, description=description),
    )


def webhooks_get(id: Id, /) -> Call[WebhookResponse]:
    """One webhook endpoint (`GET /api/v1/webhooks/{id}`, admin, since 1.2)."""
    return Call(
        "webhooks_get",
        "GET",
        "/api/v1/webhooks/{id}",
        model(WebhookResponse),
        path_params={"id": id},
    )


def webhooks_update(
    id: Id,
    /,
    *,
    url: str | NotGiven = NOT_GIVEN,
    event_types: Sequence[WebhookEventType] | NotGiven = NOT_GIVEN,
    site_ids: Sequence[Id] | NotGiven | None = NOT_GIVEN,
    description: str | NotGiven | None = NOT_GIVEN,
    enabled: bool | NotGiven = NOT_GIVEN,
) -> Call[WebhookResponse]:
    """Change an endpoint; `enabled=False` pauses it, `enabled=True` resumes it
    (`PATCH /api/v1/webhooks/{id}`, admin, since 1.2)."""
    return Call(
        "webhooks_update",
        "PATCH",
        "/api/v1/webhooks/{id}",
        model(WebhookResponse),
        path_params={"id": id},
        body=body(
            url=url,
            event_types=event_types,
            site_ids=site_ids,
            description=description,
            enabled=enabled,
        ),
    )


def webhooks_delete(id: Id, /) -> Call[None]:
    """Delete an endpoint (`DELETE /api/v1/webhooks/{id}`, admin, since 1.2)."""
    return Call(
        "webhooks_delete", "DELETE", "/api/v1/webhooks/{id}", no_content, path_params={"id": id}
    )


def webhooks_rotate_secret(id: Id, /) -> Call[WebhookSecretResponse]:
    """A new signing secret; the previous one signs too until `previous_secret_expires_at`
    (`POST /api/v1/webhooks/{id}/rotate-secret`, admin, since 1.2)."""
    return Call(
        "webhooks_rotateSecret",
        "POST",
        "/api/v1/webhooks/{id}/rotate-secret",
        model(WebhookSecretResponse),
        path_params={"id": id},
    )


def webhooks_test(id: Id, /) -> Call[DeliveryResponse]:
    """Queue a `webhook.test` event for this endpoint only
    (`POST /api/v1/webhooks/{id}/test`, admin, since 1.2)."""
    return Call(
        "webhooks_test",
        "POST",
        "/api/v1/webhooks/{id}/test",
        model(DeliveryResponse),
        path_params={"id": id},
    )


def webhooks_deliveries(
    id: Id,
    /,
    *,
    status: DeliveryStatus | None = None,
    after: str | None = None,
    limit: int | None = None,
) -> Call[DeliveryListResponse]:
    """Every delivery attempt of an endpoint, oldest first; pass `next_cursor` as `after`
    (`GET /api/v1/webhooks/{id}/deliveries`, admin, since 1.2)."""
    return Call(
        "webhooks_deliveries",
        "GET",
        "/api/v1/webhooks/{id}/deliveries",
        model(DeliveryListResponse),
        path_params={"id": id},
        query=query(status=status, after=after, limit=limit),
        paging="cursor",
    )


def webhooks_redeliver(id: Id, delivery_id: Id, /) -> Call[DeliveryResponse]:
    """Send the event of a delivery again
    (`POST /api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver`, admin, since 1.2)."""
    return Call(
        "webhooks_redeliver",
        "POST",
        "/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver",
        model(DeliveryResponse),
        path_params={"id": id, "delivery_id": delivery_id},
    )


# -- commands --------------------------------------------------------------------------------

FINISHED_COMMAND_STATUSES: frozenset[CommandStatus] = frozenset(
    {"succeeded", "failed", "rejected", "expired", "canceled", "timed_out"}
)
"""The statuses a command ends in; `queued`, `sent` and `accepted` are the others."""
MAX_WAIT_S = 30
"""The longest `wait_s` of `commands_get`."""


def commands_create(
    id: Id,
    /,
    *,
    type: CommandType,
    params: Mapping[str, object] | NotGiven = NOT_GIVEN,
    timeout_s: int | NotGiven = NOT_GIVEN,
    expires_in_s: int | NotGiven = NOT_GIVEN,
    idempotency_key: str | None = None,
) -> Call[CommandResponse]:
    """Queue a command for a gateway: `params` by type, `timeout_s` (default 60) for the gateway
    to finish once sent, `expires_in_s` (default 300; 0: only if online now) for it to be sent.
    With `idempotency_key` (the `Idempotency-Key` header) the same request within 24 h returns
    the same command, and the call may be retried (`POST /api/v1/gateways/{id}/commands`,
    operator, since 1.3)."""
    return Call(
        "commands_create",
        "POST",
        "/api/v1/gateways/{id}/commands",
        model(CommandResponse),
        path_params={"id": id},
        body=body(type=type, params=params, timeout_s=timeout_s, expires_in_s=expires_in_s),
        headers=headers(idempotency_key=idempotency_key),
    )


def commands_list(
    id: Id,
    /,
    *,
    status: CommandStatus | None = None,
    after: str | None = None,
    limit: int | None = None,
) -> Call[CommandListResponse]:
    """A gateway's commands, oldest first; pass `next_cursor` as `after`
    (`GET /api/v1/gateways/{id}/commands`, viewer, since 1.3)."""
    return Call(
        "commands_list",
        "GET",
        "/api/v1/gateways/{id}/commands",
        model(CommandListResponse),
        path_params={"id": id},
        query=query(status=status, after=after, limit=limit),
        paging="cursor",
    )


def commands_get(id: Id, /, *, wait_s: int | None = None) -> Call[CommandResponse]:
    """One command; with `wait_s` (0–30) the service holds the answer until the command is
    finished or that many seconds pass (`GET /api/v1/commands/{id}`, viewer, since 1.3)."""
    return Call(
        "commands_get",
        "GET",
        "/api/v1/commands/{id}",
        model(CommandResponse),
        path_params={"id": id},
        query=query(wait_s=wait_s),
        hold=wait_s or 0,
    )


def commands_cancel(id: Id, /) -> Call[CommandResponse]:
    """Cancel a command that is still `queued`; 409 `Conflict` once it was sent
    (`POST /api/v1/commands/{id}/cancel`, operator, since 1.3)."""
    return Call(
        "commands_cancel",
        "POST",
        "/api/v1/commands/{id}/cancel",
        model(CommandResponse),
        path_params={"id": id},
    )


# -- config ----------------------------------------------------------------------------------

ConfigDocument = ConfigDocumentSchema | Mapping[str, object]
"""A desired configuration document: the model (`VersionedConfig.config.desired`, say) or a
mapping of its members (`{"log_level": "debug", "cameras": {camera_id: {"fps": 10}}}`)."""


@dataclass(frozen=True)
class VersionedConfig:
    """A gateway's configuration and its ETag (`'"7"'`: the desired version, quoted), to send
    back as `if_match` so that a write made in between is not overwritten."""

    config: GatewayConfigResponse
    etag: str


def _versioned(data: Any, answer: httpx.Headers) -> VersionedConfig:
    config = GatewayConfigResponse.model_validate(data)
    # The ETag header, or (where a proxy dropped it) what it is: the desired version, quoted.
    return VersionedConfig(config, answer.get("etag") or f'"{config.desired_version}"')


def _if_match(if_match: str | int | None) -> dict[str, str]:
    """The If-Match header: an ETag as `get` gives it (`'"7"'`, or `"*"`), or a version (7)."""
    if isinstance(if_match, int):
        if_match = f'"{if_match}"'
    return headers(if_match=if_match)


def config_get(id: Id, /) -> Call[VersionedConfig]:
    """A gateway's configuration: `desired` (at `desired_version`), `reported` (at
    `applied_version`), `sync` and `errors`, with its ETag
    (`GET /api/v1/gateways/{id}/config`, viewer, since 1.3)."""
    return Call(
        "config_get",
        "GET",
        "/api/v1/gateways/{id}/config",
        _versioned,
        path_params={"id": id},
    )


# PUT and PATCH take the document itself, not one keyword per member as a body of fields does:
# the document is what `get` returns (`config.desired`) and what a read-modify-write hands back,
# its members are open-ended (cameras keyed by id; members of later versions, kept by the
# models), and a PUT replaces the whole document, so a member left out is a member deleted — with
# keywords defaulting to "not sent" a forgotten one would delete it silently. The body is one
# parameter after the path parameters; tests/test_client.py checks the operations so.


def config_put(
    id: Id, /, document: ConfigDocument, *, if_match: str | int | None = None
) -> Call[VersionedConfig]:
    """Replace the whole desired document; with `if_match` (the ETag of the configuration it was
    made against) a configuration changed since is 412 `PreconditionFailed`. None members are
    left out (`PUT /api/v1/gateways/{id}/config`, operator, since 1.3)."""
    return Call(
        "config_put",
        "PUT",
        "/api/v1/gateways/{id}/config",
        _versioned,
        path_params={"id": id},
        body=json_document(document),
        headers=_if_match(if_match),
    )


MERGE_PATCH = "application/merge-patch+json"


def config_patch(
    id: Id, /, patch: ConfigDocument, *, if_match: str | int | None = None
) -> Call[VersionedConfig]:
    """Change part of the desired document with a JSON merge patch (RFC 7396, sent as
    `application/merge-patch+json`): members merge at every depth, None (JSON null) deletes one,
    a list replaces. `if_match` as for `config_put`
    (`PATCH /api/v1/gateways/{id}/config`, operator, since 1.3)."""
    return Call(
        "config_patch",
        "PATCH",
        "/api/v1/gateways/{id}/config",
        _versioned,
        path_params={"id": id},
        body=json_document(patch, merge_patch=True),
        headers={"Content-Type": MERGE_PATCH, **_if_match(if_match)},
    )


def config_schema() -> Call[dict[str, Any]]:
    """The JSON Schema (draft-07) every desired document is validated with; camera keys must also
    be cameras bound to the gateway (`GET /api/v1/config-schema`, viewer, since 1.3)."""
    return Call("config_schema", "GET", "/api/v1/config-schema", json_object)


# -- credentials -----------------------------------------------------------------------------


def credentials_list(id: Id, /) -> Call[list[CredentialResponse]]:
    """A gateway's keys (its newest 100), oldest first, never the key itself
    (`GET /api/v1/gateways/{id}/credentials`, admin, since 1.3)."""
    return Call(
        "credentials_list",
        "GET",
        "/api/v1/gateways/{id}/credentials",
        model_list(CredentialResponse),
        path_params={"id": id},
    )


def credentials_rotate_key(
    id: Id, /, *, grace_s: int | NotGiven = NOT_GIVEN
) -> Call[RotationResponse]:
    """Send the gateway a new key; its first connection with it makes it active and the key
    before retiring for `grace_s` (default 86400; 0 revokes it then). Completion is the
    `gateway.key_rotated` event (`POST /api/v1/gateways/{id}/rotate-key`, admin, since 1.3)."""
    return Call(
        "credentials_rotateKey",
        "POST",
        "/api/v1/gateways/{id}/rotate-key",
        model(RotationResponse),
        path_params={"id": id},
        body=body(grace_s=grace_s),
    )


def credentials_revoke_keys(id: Id, /) -> Call[list[CredentialResponse]]:
    """Revoke every key of the gateway at once and close its socket (4401); the keys as they
    are now (`POST /api/v1/gateways/{id}/revoke-keys`, admin, since 1.3)."""
    return Call(
        "credentials_revokeKeys",
        "POST",
        "/api/v1/gateways/{id}/revoke-keys",
        model_list(CredentialResponse),
        path_params={"id": id},
    )


# -- health ----------------------------------------------------------------------------------


def health_live() -> Call[HealthResponse]:
    """The process is alive (`GET /healthz`, public)."""
    return Call("health_live", "GET", "/healthz", model(HealthResponse), public=True)


def health_ready() -> Call[HealthResponse]:
    """The database answers (`GET /readyz`, public); 503 `ServiceUnavailable` otherwise."""
    return Call("health_ready", "GET", "/readyz", model(HealthResponse), public=True)
