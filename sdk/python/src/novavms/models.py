"""Models of the NovaVMS Gateway API 1.3.0.

Generated from openapi/openapi.json by scripts/generate_models.py; do not edit by
hand: change the spec and run the script again (`--check` tells whether this file
is current).
"""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

API_VERSION = "1.3.0"

CameraConfigSchemaRecording = Literal["continuous", "motion", "off"]
CommandStatus = Literal[
    "queued",
    "sent",
    "accepted",
    "succeeded",
    "failed",
    "rejected",
    "expired",
    "canceled",
    "timed_out",
]
CommandType = Literal[
    "gateway.reboot",
    "gateway.restart_service",
    "camera.reboot",
    "cameras.discover",
    "network.probe",
]
ConfigDocumentSchemaLogLevel = Literal["debug", "info", "warn", "error"]
CoverageGapStatus = Literal["idle", "error", "unknown"]
CredentialState = Literal["active", "retiring", "revoked"]
DeliveryEventType = Literal[
    "webhook.test",
    "gateway.registered",
    "gateway.paired",
    "gateway.online",
    "gateway.offline",
    "gateway.disabled",
    "gateway.enabled",
    "gateway.deleted",
    "gateway.updated",
    "gateway.rebooted",
    "camera.recording_status_changed",
    "command.succeeded",
    "command.failed",
    "command.rejected",
    "command.expired",
    "command.canceled",
    "command.timed_out",
    "gateway.config_changed",
    "gateway.config_applied",
    "gateway.config_rejected",
    "gateway.key_rotated",
    "gateway.retired_key_used",
    "gateway.credential_conflict",
]
DeliveryStatus = Literal["pending", "succeeded", "failed"]
EventDataStatus = Literal[
    "registered",
    "online",
    "offline",
    "disabled",
    "succeeded",
    "failed",
    "rejected",
    "expired",
    "canceled",
    "timed_out",
]
EventType = Literal[
    "gateway.registered",
    "gateway.paired",
    "gateway.online",
    "gateway.offline",
    "gateway.disabled",
    "gateway.enabled",
    "gateway.deleted",
    "gateway.updated",
    "gateway.rebooted",
    "camera.recording_status_changed",
    "command.succeeded",
    "command.failed",
    "command.rejected",
    "command.expired",
    "command.canceled",
    "command.timed_out",
    "gateway.config_changed",
    "gateway.config_applied",
    "gateway.config_rejected",
    "gateway.key_rotated",
    "gateway.retired_key_used",
    "gateway.credential_conflict",
]
GatewayConfigSync = Literal["in_sync", "pending", "rejected", "unknown"]
GatewayStatus = Literal["registered", "online", "offline", "disabled"]
GatewayStatusUpdate = Literal["disabled", "offline"]
RecordingStatus = Literal["recording", "idle", "error"]
RepairingCodeStatus = Literal["registered", "online", "offline"]
Role = Literal["viewer", "operator", "admin"]
RotationStatus = Literal["pending", "sent", "acknowledged", "completed", "canceled"]
WebhookEventType = Literal[
    "*",
    "gateway.registered",
    "gateway.paired",
    "gateway.online",
    "gateway.offline",
    "gateway.disabled",
    "gateway.enabled",
    "gateway.deleted",
    "gateway.updated",
    "gateway.rebooted",
    "camera.recording_status_changed",
    "command.succeeded",
    "command.failed",
    "command.rejected",
    "command.expired",
    "command.canceled",
    "command.timed_out",
    "gateway.config_changed",
    "gateway.config_applied",
    "gateway.config_rejected",
    "gateway.key_rotated",
    "gateway.retired_key_used",
    "gateway.credential_conflict",
]


class Model(BaseModel):
    """Base of every model: unknown fields are kept, names are the wire's."""

    model_config = ConfigDict(
        extra="allow", populate_by_name=True, use_attribute_docstrings=True
    )


class ApiKeyResponse(Model):
    """Part of `ApiKeyListResponse`."""

    created_at: datetime
    id: str
    name: str
    role: Role
    site_ids: list[str] | None
    """The sites the key is limited to; null for every site of the org"""


class ApiKeyListResponse(Model):
    """Answer of `GET /api/v1/api-keys`."""

    data: list[ApiKeyResponse]
    """At most `limit` keys"""
    total: int
    """Rows matching the filters, over all pages"""


class AuthRequiredErrorBody(Model):
    """Error body of the 401 answers."""

    error: Literal["auth_required"]
    message: str
    """A human-readable sentence"""


class OutageResponse(Model):
    """Part of `AvailabilityResponse`."""

    duration_seconds: int
    """Seconds of the outage within the range"""
    ended_at: datetime | None
    """null: not over by `to`"""
    reason: str | None
    """The reason of the event that began it"""
    started_at: datetime
    """Start of the outage, or `from` when it began before the range"""


class AvailabilityResponse(Model):
    """Answer of `GET /api/v1/gateways/{id}/availability`."""

    disabled_seconds: int
    from_: datetime = Field(alias="from")
    offline_seconds: int
    """Offline, unplanned"""
    online_seconds: int
    outages: list[OutageResponse]
    """
    The offline periods within the range, oldest first (at most 10,000; the seconds count them all)
    """
    planned_seconds: int
    """
    Offline for a gateway.reboot an operator asked for (outages with reason `rebooting`); not
    counted in uptime_percent
    """
    to: datetime
    uptime_percent: float | None
    """
    100 × online / (online + offline), 3 decimals; null when both are 0 (planned time counts in
    neither)
    """


class CameraConfigSchema(Model):
    """Part of `ConfigDocumentSchema`."""

    bitrate_kbps: int | None = None
    fps: int | None = None
    recording: CameraConfigSchemaRecording
    stream_profile: str | None = None


class CameraResponse(Model):
    """
    Answer of `POST /api/v1/cameras`, `GET /api/v1/cameras/{id}`, `PATCH /api/v1/cameras/{id}`.
    """

    created_at: datetime
    gateway_id: str | None
    id: str
    name: str
    site_id: str


class CameraListResponse(Model):
    """Answer of `GET /api/v1/cameras`."""

    data: list[CameraResponse]
    """At most `limit` cameras"""
    total: int
    """Rows matching the filters, over all pages"""


class CommandActor(Model):
    """Part of `CommandResponse`."""

    key_id: str
    key_name: str | None


class CommandResponse(Model):
    """
    Answer of `GET /api/v1/commands/{id}`, `POST /api/v1/commands/{id}/cancel`, `POST
    /api/v1/gateways/{id}/commands`.
    """

    accepted_at: datetime | None
    actor: CommandActor
    attempt: int
    """How many times it was sent (a resend after a reconnect adds one)"""
    completed_at: datetime | None
    created_at: datetime
    error: dict[str, Any] | None
    """Why it did not succeed"""
    expires_at: datetime
    """A command not sent by then expires"""
    gateway_id: str
    id: str
    late_result: dict[str, Any] | None
    """
    A result that came after `timed_out`: `{status, result, error, received_at}` (the status stays
    `timed_out`)
    """
    params: dict[str, Any]
    """As validated, with defaults filled in"""
    result: dict[str, Any] | None
    """
    `cameras.discover`: `{devices}`; `network.probe`: `{reachable, latency_ms}`; `gateway.reboot`:
    `{boot_id, previous_boot_id}`; otherwise null
    """
    sent_at: datetime | None
    """When the gateway was first sent it: the `timeout_s` clock starts here"""
    status: CommandStatus
    timeout_s: int
    type: CommandType


class CommandListResponse(Model):
    """Answer of `GET /api/v1/gateways/{id}/commands`."""

    data: list[CommandResponse]
    """At most `limit` commands, oldest first"""
    next_cursor: str
    """Pass as `after` to read on"""


class ConfigDocumentSchema(Model):
    """Body of `PATCH /api/v1/gateways/{id}/config`, `PUT /api/v1/gateways/{id}/config`."""

    cameras: dict[str, CameraConfigSchema] | None = None
    """Per camera id; only cameras bound to this gateway"""
    heartbeat_interval_s: int | None = None
    log_level: ConfigDocumentSchemaLogLevel | None = None
    ntp_servers: list[str] | None = None
    retention_days: int | None = None
    timezone: str | None = None
    """An IANA time zone"""
    upstream_cap_mbps: float | None = None


class ConfigErrorSchema(Model):
    """Part of `GatewayConfigResponse`."""

    message: str
    path: str


class ConflictErrorBody(Model):
    """Error body of the 409 answers."""

    error: Literal["conflict"]
    message: str
    """A human-readable sentence"""


class CoverageGapResponse(Model):
    """Part of `RecordingCoverageResponse`."""

    ended_at: datetime | None
    """null: not over by `to`"""
    started_at: datetime
    status: CoverageGapStatus
    """unknown: no report yet, or the reporting gateway was not online"""


class CreateApiKeyDto(Model):
    """Body of `POST /api/v1/api-keys`."""

    name: str
    role: Role
    site_ids: list[str] | None = None
    """Limit the key to these sites; omit or null for every site of the org"""


class CreateCameraDto(Model):
    """Body of `POST /api/v1/cameras`."""

    gateway_id: str | None = None
    """The gateway that records this camera"""
    name: str
    site_id: str
    """Must exist in caller's org"""


class CreateCommandDto(Model):
    """Body of `POST /api/v1/gateways/{id}/commands`."""

    expires_in_s: int | None = None
    """
    Seconds it may wait, queued, for the gateway to connect; 0: only if the gateway is online now
    (else 409)
    """
    params: dict[str, Any] | None = None
    """
    By type: none for `gateway.reboot` and `gateway.restart_service`; `{camera_id}` for
    `camera.reboot`; `{timeout_s?}` for `cameras.discover`; `{host, port}` for `network.probe`. At
    most 8 KiB.
    """
    timeout_s: int | None = None
    """Seconds the gateway has to finish, from `sent_at`"""
    type: CommandType


class CreateSiteDto(Model):
    """Body of `POST /api/v1/sites`."""

    name: str


class CreateWebhookDto(Model):
    """Body of `POST /api/v1/webhooks`."""

    description: str | None = None
    event_types: list[WebhookEventType]
    """The event types to deliver; `["*"]` for all"""
    site_ids: list[str] | None = None
    """
    Deliver only events of these sites; omit or null for every site of the org (a site-scoped key
    must name its own sites)
    """
    url: str


class CreatedApiKeyResponse(Model):
    """Answer of `POST /api/v1/api-keys`."""

    created_at: datetime
    id: str
    key: str
    """
    The key itself: `sk_live_` and 43 base64url characters. Shown once; only its hash is stored.
    """
    name: str
    role: Role
    site_ids: list[str] | None
    """The sites the key is limited to; null for every site of the org"""


class CreatedWebhookResponse(Model):
    """Answer of `POST /api/v1/webhooks`."""

    created_at: datetime
    description: str | None
    disabled_reason: str | None
    """
    Why the service disabled it: gone (the receiver answered 410), failing (every attempt failed for
    WEBHOOK_DISABLE_AFTER_DAYS)
    """
    enabled: bool
    event_types: list[WebhookEventType]
    """The event types to deliver; `["*"]` for all"""
    id: str
    secret: str
    """The signing secret, shown only here: keep it to verify signatures"""
    site_ids: list[str] | None
    """Only events of these sites are delivered; null for every site of the org"""
    updated_at: datetime
    url: str


class CredentialResponse(Model):
    """CredentialResponse"""

    created_at: datetime
    """When it was issued (by pairing, or sent by a rotation)"""
    expires_at: datetime | None
    """A retiring key: the end of its grace. null otherwise"""
    id: str
    last_peer_address: str | None
    """The client address of that connection"""
    last_used_at: datetime | None
    """The last connection made with it; null if never used"""
    state: CredentialState
    """
    `active`: the key; `retiring`: the key before a rotation, usable until `expires_at`; `revoked`:
    refused (also a retiring key past `expires_at`)
    """


class DeliveryResponse(Model):
    """
    Answer of `POST /api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver`, `POST
    /api/v1/webhooks/{id}/test`.
    """

    attempt: int
    attempted_at: datetime | None
    duration_ms: int | None
    error: str | None
    """Why it failed (with up to 1 KiB of the answer)"""
    event_id: str
    """The event delivered: also its `webhook-id` header"""
    event_type: DeliveryEventType
    id: str
    next_attempt_at: datetime | None
    """Pending: when it is due; failed: when the retry is due, null when there is none"""
    response_status: int | None
    status: DeliveryStatus


class DeliveryListResponse(Model):
    """Answer of `GET /api/v1/webhooks/{id}/deliveries`."""

    data: list[DeliveryResponse]
    """At most `limit` attempts, oldest first"""
    next_cursor: str
    """Pass as `after` to read on"""


class ErrorDetailSchema(Model):
    """Part of `ValidationErrorBody`."""

    field: str
    message: str


class EventActor(Model):
    """Part of `EventData`."""

    key_id: str
    key_name: str | None


class FieldChange(Model):
    """Part of `EventChanges`."""

    from_: str | None = Field(alias="from")
    """A name, or a site id"""
    to: str | None


class EventChanges(Model):
    """Part of `EventData`."""

    name: FieldChange | None = None
    site_id: FieldChange | None = None
    """Site ids"""


class EventConfigProblem(Model):
    """Part of `EventData`."""

    message: str
    path: str


class EventPeer(Model):
    """Part of `EventData`."""

    boot_id: str | None
    """The boot id of its session; null when it sent none"""
    peer_address: str
    """Its client address"""


class EventData(Model):
    """Part of `EventResponse`."""

    actor: EventActor | None = None
    """The user key whose request caused the event"""
    boot_id: str | None = None
    """gateway.rebooted: the boot id of its new session"""
    camera_id: str | None = None
    """camera.recording_status_changed: the camera"""
    changed_paths: list[str] | None = None
    """
    gateway.config_changed: the paths of the desired document that changed (`log_level`,
    `cameras.<id>.fps`)
    """
    changes: EventChanges | None = None
    """gateway.updated: what changed"""
    command_id: str | None = None
    """
    command.*: the command; gateway.offline with reason `rebooting`: the gateway.reboot it went
    offline for
    """
    errors: list[EventConfigProblem] | None = None
    """gateway.config_rejected: why, as the gateway said"""
    firmware: str | None = None
    """gateway.rebooted: the firmware its new session declared (null when it declared none)"""
    from_: str | None = Field(None, alias="from")
    """
    camera.recording_status_changed: the status before (recording, idle or error; null on the first
    report)
    """
    key_id: str | None = None
    """gateway.key_rotated: the new active key; gateway.retired_key_used: the retiring key used"""
    name: str | None = None
    """gateway.registered: its name"""
    peer_address: str | None = None
    """gateway.retired_key_used: the client address of the connection"""
    peers: list[EventPeer] | None = None
    """gateway.credential_conflict: the connections that replaced each other"""
    planned_until: datetime | None = None
    """
    gateway.offline with reason `rebooting`: the reboot's deadline; availability counts the outage
    as planned up to then
    """
    previous_boot_id: str | None = None
    """gateway.rebooted: the boot id of the session before"""
    previous_key_id: str | None = None
    """gateway.key_rotated: the key before, now retiring (or revoked with a grace of 0)"""
    previous_status: str | None = None
    """
    Status events and gateway.deleted: the status before (registered, online, offline or disabled)
    """
    reason: str | None = None
    """
    Status events: why (paired, connected, closed_by_gateway, heartbeat_timeout, rebooting,
    user_request, database_change)
    """
    replacements: int | None = None
    """
    gateway.credential_conflict: replacements between different connections in the 10 minutes before
    """
    retiring_until: datetime | None = None
    """
    gateway.key_rotated, gateway.retired_key_used: when the retiring key stops working (null with a
    grace of 0)
    """
    rotation_id: str | None = None
    """gateway.key_rotated: the rotation"""
    status: EventDataStatus | None = None
    """
    gateway.registered: the status it was created with; command.*: the status the command ended in
    """
    to: RecordingStatus | None = None
    """camera.recording_status_changed: the status now"""
    type: str | None = None
    """
    command.*: the command type (gateway.reboot, gateway.restart_service, camera.reboot,
    cameras.discover, network.probe)
    """
    version: int | None = None
    """gateway.config_*: the configuration version written, applied or rejected"""


class EventResponse(Model):
    """Part of `EventListResponse`."""

    data: EventData
    """
    By type (docs/events.md): status events carry `previous_status` and `reason`; `gateway.updated`
    carries `changes`; `camera.recording_status_changed` carries `camera_id`, `from`, `to`;
    `gateway.rebooted` carries `boot_id`, `previous_boot_id`, `firmware`; `command.*` carries
    `command_id`, `type`, `status`; `gateway.config_*` carries `version` (and `changed_paths`, or
    `errors`); `gateway.key_rotated` carries `rotation_id`, `key_id`, `previous_key_id`,
    `retiring_until`; `gateway.retired_key_used` carries `key_id`, `peer_address`, `retiring_until`;
    `gateway.credential_conflict` carries `peers`, `replacements`; `actor` when a user request
    caused the event
    """
    gateway_id: str
    id: str
    occurred_at: datetime
    """When the change was written, on the database's clock"""
    org_id: str
    seq: int
    """Position in the event log: increases in the order events are listed"""
    site_id: str
    """The gateway's site when the event occurred"""
    type: EventType


class EventListResponse(Model):
    """Answer of `GET /api/v1/events`."""

    data: list[EventResponse]
    """At most `limit` events, oldest first"""
    next_cursor: str
    """
    Pass as `after` to read on; it moves past every event this page considered, so polling with it
    never repeats or skips one
    """


class ForbiddenErrorBody(Model):
    """Error body of the 403 answers."""

    error: Literal["forbidden"]
    message: str
    """A human-readable sentence"""


class GatewayConfigResponse(Model):
    """
    Answer of `GET /api/v1/gateways/{id}/config`, `PATCH /api/v1/gateways/{id}/config`, `PUT
    /api/v1/gateways/{id}/config`.
    """

    applied_version: int | None
    """The last version the gateway applied; null before its first report"""
    desired: ConfigDocumentSchema
    """What operators want the gateway to run"""
    desired_version: int
    """Up one with every change; also the ETag"""
    errors: list[ConfigErrorSchema]
    """Why the gateway rejected the desired version (empty unless sync is rejected)"""
    reported: ConfigDocumentSchema
    """What the gateway last reported it runs (`{}` before its first report)"""
    reported_at: datetime | None
    sync: GatewayConfigSync
    """
    unknown: never reported; rejected: the gateway refused the desired version (see errors);
    pending: not applied yet
    """


class GatewaySummary(Model):
    """Part of `GatewayListResponse`."""

    id: str
    last_heartbeat_at: datetime | None
    local_ip: str | None
    name: str | None
    site_id: str
    status: GatewayStatus
    version: str | None


class GatewayListResponse(Model):
    """Answer of `GET /api/v1/gateways`."""

    data: list[GatewaySummary]
    """At most `limit` gateways"""
    total: int
    """Rows matching the filters, over all pages"""


class GatewayResponse(Model):
    """Answer of `GET /api/v1/gateways/{id}`, `PATCH /api/v1/gateways/{id}`."""

    created_at: datetime
    id: str
    last_heartbeat_at: datetime | None
    local_ip: str | None
    name: str | None
    site_id: str
    status: GatewayStatus
    version: str | None


class GeneratePairingCodeDto(Model):
    """Body of `POST /api/v1/gateways/generate-pairing-code`."""

    name: str
    site_id: str
    """Must exist in caller's org"""


class GoneErrorBody(Model):
    """Error body of the 410 answers."""

    error: Literal["gone"]
    message: str
    """A human-readable sentence"""


class HealthResponse(Model):
    """Answer of `GET /healthz`, `GET /readyz`."""

    status: Literal["ok"]


class IceServerResponse(Model):
    """Part of `PairResponse`."""

    credential: str
    """
    Opaque ephemeral TURN password (base64 HMAC-SHA1 of username); pass it to the TURN server as is
    """
    urls: list[str]
    """The deployment's TURN_URLS (turn: or turns: URLs)"""
    username: str
    """
    Opaque TURN REST API user name (`<expiry unix time>:<gateway id>`); pass it to the TURN server
    as is
    """


class NetworkThroughputResponse(Model):
    """Part of `TelemetryResponse`."""

    downstream_mbps: float | None = None
    upstream_mbps: float | None = None


class NotFoundErrorBody(Model):
    """Error body of the 404 answers."""

    error: Literal["not_found"]
    message: str
    """A human-readable sentence"""


class PairDto(Model):
    """Body of `POST /api/v1/gateways/pair`."""

    local_ip: str | None = None
    """Gateway's LAN IP (IPv4 or IPv6)"""
    name: str | None = None
    """Gateway's self-reported name; used only if the registered gateway has none"""
    pairing_code: str
    """6 chars; case, spaces and dashes are ignored"""
    version: str | None = None
    """Gateway build version"""


class PairResponse(Model):
    """Answer of `POST /api/v1/gateways/pair`."""

    api_key: str
    """The gateway key: `gw_` and 43 base64url characters. Shown once; only its hash is stored"""
    gateway_id: str
    ice_servers: list[IceServerResponse]
    """Empty when the deployment has no TURN server"""
    org_id: str


class PairingCodeResponse(Model):
    """Answer of `POST /api/v1/gateways/generate-pairing-code`."""

    expires_at: datetime
    id: str
    pairing_code: str
    """Six characters of A-Z and 2-9, without the look-alikes O, I and L"""
    status: Literal["registered"]


class PayloadTooLargeErrorBody(Model):
    """Error body of the 413 answers."""

    error: Literal["payload_too_large"]
    message: str
    """A human-readable sentence"""


class PreconditionFailedErrorBody(Model):
    """Error body of the 412 answers."""

    error: Literal["precondition_failed"]
    message: str
    """A human-readable sentence"""


class RateLimitedErrorBody(Model):
    """Error body of the 429 answers."""

    error: Literal["rate_limited"]
    message: str
    """A human-readable sentence"""


class RecordingCoverageResponse(Model):
    """Answer of `GET /api/v1/cameras/{id}/recording-coverage`."""

    coverage_percent: float | None
    """100 × recording / (recording + not recording), 3 decimals; null when both are 0"""
    from_: datetime = Field(alias="from")
    gaps: list[CoverageGapResponse]
    """
    The periods within the range when the camera was not known to record, oldest first (at most
    10,000; the seconds count them all)
    """
    not_recording_seconds: int
    recording_seconds: int
    to: datetime
    unknown_seconds: int


class RepairingCodeResponse(Model):
    """Answer of `POST /api/v1/gateways/{id}/pairing-code`."""

    expires_at: datetime
    id: str
    pairing_code: str
    """Six characters of A-Z and 2-9, without the look-alikes O, I and L"""
    status: RepairingCodeStatus
    """The gateway's status now: pairing again keeps it, and revokes its keys"""


class RotateKeyDto(Model):
    """Body of `POST /api/v1/gateways/{id}/rotate-key`."""

    grace_s: int | None = None
    """
    How long the key before stays usable once the gateway has connected with the new one; 0 revokes
    it then
    """


class RotationResponse(Model):
    """Answer of `POST /api/v1/gateways/{id}/rotate-key`."""

    rotation_id: str
    status: RotationStatus
    """
    `pending` until the new key is sent to the gateway (at once when it is connected, else on its
    next connection); completion is the `gateway.key_rotated` event
    """


class ServiceUnavailableErrorBody(Model):
    """Error body of the 503 answers."""

    error: Literal["service_unavailable"]
    message: str
    """A human-readable sentence"""


class SiteResponse(Model):
    """Answer of `POST /api/v1/sites`."""

    created_at: datetime
    id: str
    name: str


class SiteListResponse(Model):
    """Answer of `GET /api/v1/sites`."""

    data: list[SiteResponse]
    """At most `limit` sites"""
    total: int
    """Rows matching the filters, over all pages"""


class TelemetryResponse(Model):
    """Answer of `GET /api/v1/gateways/{id}/telemetry`."""

    camera_recording_status: dict[str, RecordingStatus]
    """
    Camera uuid → status, as of the latest telemetry frame that carried it (at most one entry per
    camera a frame may report)
    """
    cpu_percent: float | None
    gateway_id: str
    last_heartbeat_at: datetime | None
    memory_mb: float | None
    network_throughput: NetworkThroughputResponse


class UpdateCameraDto(Model):
    """Body of `PATCH /api/v1/cameras/{id}`."""

    gateway_id: str | None = None
    """null unbinds the camera from its gateway"""
    name: str | None = None
    site_id: str | None = None


class UpdateGatewayDto(Model):
    """Body of `PATCH /api/v1/gateways/{id}`."""

    name: str | None = None
    site_id: str | None = None
    """Must exist in caller's org"""
    status: GatewayStatusUpdate | None = None
    """disabled or offline only"""


class UpdateWebhookDto(Model):
    """Body of `PATCH /api/v1/webhooks/{id}`."""

    description: str | None = None
    enabled: bool | None = None
    """false pauses deliveries; true re-enables an endpoint the service disabled"""
    event_types: list[WebhookEventType] | None = None
    """The event types to deliver; `["*"]` for all"""
    site_ids: list[str] | None = None
    """
    Deliver only events of these sites; null for every site of the org (a site-scoped key must name
    its own sites)
    """
    url: str | None = None


class ValidationErrorBody(Model):
    """Error body of the 400 answers."""

    details: list[ErrorDetailSchema]
    """One entry per problem"""
    error: Literal["validation_error"]
    message: str
    """A human-readable sentence"""


class WebhookResponse(Model):
    """Answer of `GET /api/v1/webhooks/{id}`, `PATCH /api/v1/webhooks/{id}`."""

    created_at: datetime
    description: str | None
    disabled_reason: str | None
    """
    Why the service disabled it: gone (the receiver answered 410), failing (every attempt failed for
    WEBHOOK_DISABLE_AFTER_DAYS)
    """
    enabled: bool
    event_types: list[WebhookEventType]
    """The event types to deliver; `["*"]` for all"""
    id: str
    site_ids: list[str] | None
    """Only events of these sites are delivered; null for every site of the org"""
    updated_at: datetime
    url: str


class WebhookListResponse(Model):
    """Answer of `GET /api/v1/webhooks`."""

    data: list[WebhookResponse]
    total: int
    """Rows matching the filters, over all pages"""


class WebhookSecretResponse(Model):
    """Answer of `POST /api/v1/webhooks/{id}/rotate-secret`."""

    previous_secret_expires_at: datetime
    """Until then the previous secret signs too"""
    secret: str
    """The signing secret, shown only here: keep it to verify signatures"""
