/**
 * NovaVMS TypeScript SDK: a thin facade over openapi-fetch, typed entirely from sdk/schema.ts
 * (generated from openapi/openapi.json by `npm run sdk`; never edit that file by hand).
 *
 *   const novavms = new NovaVMS({ baseUrl: 'https://novavms.novalien.com', apiKey: 'sk_live_...' });
 *   const pairing = await novavms.gateways.generatePairingCode({ name: 'Warehouse A', siteId });
 *   const paired = await novavms.gateways.pair({ pairingCode: pairing.pairing_code, version: '2026.04.12' });
 *
 * Arguments are camelCase and are sent as the API's snake_case fields; results are the API's
 * JSON exactly as documented (snake_case). Any non-2xx answer is thrown as a NovaVMSError
 * carrying the status and the `{error, message, details?}` body. Method names follow the
 * operationIds (`<group>_<method>`); test/sdk.e2e-spec.ts checks that every operation of the
 * spec has its method here.
 */
import createClient, { type Client } from 'openapi-fetch';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import type { components, operations, paths } from './schema';

export type Schemas = components['schemas'];

export type Gateway = Schemas['GatewayResponse'];
export type GatewaySummary = Schemas['GatewaySummary'];
export type GatewayList = Schemas['GatewayListResponse'];
export type PairingCode = Schemas['PairingCodeResponse'];
export type PairedGateway = Schemas['PairResponse'];
export type GatewayTelemetry = Schemas['TelemetryResponse'];
export type Site = Schemas['SiteResponse'];
export type SiteList = Schemas['SiteListResponse'];
export type ApiKey = Schemas['ApiKeyResponse'];
export type ApiKeyList = Schemas['ApiKeyListResponse'];
export type CreatedApiKey = Schemas['CreatedApiKeyResponse'];
export type Camera = Schemas['CameraResponse'];
export type CameraList = Schemas['CameraListResponse'];
export type Health = Schemas['HealthResponse'];
export type GatewayEvent = Schemas['EventResponse'];
export type EventList = Schemas['EventListResponse'];
export type Availability = Schemas['AvailabilityResponse'];
export type RecordingCoverage = Schemas['RecordingCoverageResponse'];
export type WebhookEndpoint = Schemas['WebhookResponse'];
export type CreatedWebhook = Schemas['CreatedWebhookResponse'];
export type WebhookList = Schemas['WebhookListResponse'];
export type WebhookSecret = Schemas['WebhookSecretResponse'];
export type WebhookDelivery = Schemas['DeliveryResponse'];
export type WebhookDeliveryList = Schemas['DeliveryListResponse'];
export type Command = Schemas['CommandResponse'];
export type CommandList = Schemas['CommandListResponse'];
export type CommandStatus = Command['status'];
export type CommandType = Command['type'];
/** A gateway key as the API lists it (since 1.3): never the key itself. */
export type Credential = Schemas['CredentialResponse'];
export type CredentialState = Credential['state'];
/** A key rotation just asked for (since 1.3): its id and status; completion is the `gateway.key_rotated` event. */
export type KeyRotation = Schemas['RotationResponse'];
/** A code that pairs an existing gateway again (since 1.3). */
export type RepairingCode = Schemas['RepairingCodeResponse'];
/** A gateway's configuration (since 1.3): `desired` at `desired_version`, `reported`, `applied_version`, `sync`, `errors`. */
export type GatewayConfig = Schemas['GatewayConfigResponse'];
/** A whole desired configuration document, as PUT takes it and GatewayConfig's `desired` and `reported` are. */
export type ConfigDocument = Schemas['ConfigDocumentSchema'];
export type CameraConfig = Schemas['CameraConfigSchema'];
export type ConfigSync = GatewayConfig['sync'];
export type ConfigError = Schemas['ConfigErrorSchema'];
/** The JSON Schema (draft-07) every desired document is validated with, as GET /api/v1/config-schema serves it. */
export interface ConfigJsonSchema {
  $schema?: string;
  [keyword: string]: unknown;
}

/** `site_id` → `siteId`, at the type level. */
type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;
/** An API object with camelCase keys (one level: the API's request bodies are flat). */
export type Camelize<T> = { [K in keyof T as K extends string ? CamelCase<K> : K]: T[K] };
type Query<Op extends keyof operations> = Camelize<NonNullable<operations[Op]['parameters']['query']>>;

export type ListGatewaysParams = Query<'gateways_list'>;
export type GeneratePairingCodeParams = Camelize<Schemas['GeneratePairingCodeDto']>;
export type PairParams = Camelize<Schemas['PairDto']>;
export type UpdateGatewayParams = Camelize<Schemas['UpdateGatewayDto']>;
export type ListSitesParams = Query<'sites_list'>;
export type CreateSiteParams = Camelize<Schemas['CreateSiteDto']>;
export type ListApiKeysParams = Query<'apiKeys_list'>;
export type CreateApiKeyParams = Camelize<Schemas['CreateApiKeyDto']>;
export type ListCamerasParams = Query<'cameras_list'>;
export type CreateCameraParams = Camelize<Schemas['CreateCameraDto']>;
export type UpdateCameraParams = Camelize<Schemas['UpdateCameraDto']>;
export type ListEventsParams = Query<'events_list'>;
/** `from` and `to`: RFC 3339 instants (default: the last 24 hours). */
export type TimeRangeParams = Query<'gateways_availability'>;
export type CreateWebhookParams = Camelize<Schemas['CreateWebhookDto']>;
export type UpdateWebhookParams = Camelize<Schemas['UpdateWebhookDto']>;
export type ListWebhooksParams = Query<'webhooks_list'>;
export type ListDeliveriesParams = Query<'webhooks_deliveries'>;
/** `graceS` (0–604800) is optional: the API defaults it to 86400. */
export type RotateKeyParams = Partial<Camelize<Schemas['RotateKeyDto']>>;
type CreateCommandDto = Schemas['CreateCommandDto'];
/**
 * `type`, its `params` (sent as they are: `{host, port}`, `{camera_id}`, ...), and optionally
 * `timeoutS` (default 60) and `expiresInS` (default 300), which the server fills in when absent.
 */
export type CreateCommandParams = Camelize<Omit<CreateCommandDto, 'timeout_s' | 'expires_in_s'>> & Partial<Camelize<Pick<CreateCommandDto, 'timeout_s' | 'expires_in_s'>>>;
export interface CreateCommandOptions {
  /** Sent as the Idempotency-Key header: the same request with the same key within 24 h returns the same command. */
  idempotencyKey?: string;
}
export type ListCommandsParams = Query<'commands_list'>;
/** `waitS` (0–30): hold the answer until the command is finished, or this many seconds. */
export type GetCommandParams = Query<'commands_get'>;
export interface WaitCommandOptions {
  /** How long to wait in all, in seconds (default 60). */
  timeoutS?: number;
}
/**
 * A JSON merge patch (RFC 7396) of `T`: any member may be left out, given (objects merge, member
 * by member, at every depth) or `null`, which deletes it. Arrays are not merged: given, they replace.
 */
export type MergePatch<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: MergePatch<NonNullable<T[K]>> | null } : T;
/** A merge patch of the desired document, as `config.patch()` sends it. */
export type ConfigMergePatch = MergePatch<ConfigDocument>;
export interface ConfigWriteOptions {
  /**
   * Sent as the If-Match header: the ETag the change was made against (`"7"`, as `get()` returns
   * it). When the configuration has changed since, the write is refused with a 412
   * `precondition_failed` NovaVMSError. Without it the write is unconditional.
   */
  ifMatch?: string;
}
/** A configuration with its ETag (`"7"`, the desired version quoted), to send back as `ifMatch`. */
export interface VersionedConfig {
  config: GatewayConfig;
  etag: string;
}

/**
 * The schemas of the error bodies the spec documents: named `...Error` and shaped `{error, message}`
 * (a schema that only ends in Error, such as an event's `{path, message}`, is not an answer's body).
 */
type ErrorBodySchemaName = { [K in keyof Schemas]: K extends `${string}Error` ? (Schemas[K] extends { error: string; message: string } ? K : never) : never }[keyof Schemas];
/** Every error body the spec documents (`ValidationError`, `NotFoundError`, `PreconditionFailedError`, ...). */
export type ApiErrorBody = Schemas[ErrorBodySchemaName];
/** What a NovaVMSError carries when the answer was not a documented error body (a proxy's page, say). */
export interface UnexpectedResponseBody {
  error: 'unexpected_response';
  message: string;
}
export type ErrorCode = ApiErrorBody['error'] | UnexpectedResponseBody['error'];
export type ErrorDetail = Schemas['ErrorDetailSchema'];

/** A non-2xx answer of the API: its HTTP status and its `{error, message, details?}` body. */
export class NovaVMSError extends Error {
  override readonly name = 'NovaVMSError';
  constructor(
    /** The operationId that failed, e.g. `gateways_pair`. */
    readonly operation: string,
    readonly status: number,
    readonly body: ApiErrorBody | UnexpectedResponseBody,
    /** The Retry-After header in seconds, on 429 and 503. */
    readonly retryAfter?: number,
  ) {
    super(`${operation}: ${status} ${body.error}: ${body.message}`);
  }
  /** The machine-readable code: `validation_error`, `not_found`, `conflict`, `precondition_failed`, ... */
  get code(): ErrorCode {
    return this.body.error;
  }
  /** One entry per problem, for `validation_error`. */
  get details(): ErrorDetail[] | undefined {
    return 'details' in this.body ? this.body.details : undefined;
  }
}

export interface NovaVMSOptions {
  /** e.g. `https://novavms.novalien.com` */
  baseUrl: string;
  /** A user API key, `sk_live_...`. Not needed for `gateways.pair()` and the health probes. */
  apiKey?: string;
  /** A custom fetch (defaults to the global one). */
  fetch?: (input: Request) => Promise<Response>;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
}

type Api = Client<paths>;
type Outcome<T> = { data?: T; error?: unknown; response: Response };

/** camelCase keys → the API's snake_case keys (one level; undefined values are dropped). */
function snake<T>(input: Camelize<T> | undefined): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input ?? {})) {
    if (v !== undefined) out[k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = v;
  }
  return out as T;
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  const v = value as { error?: unknown; message?: unknown } | null;
  return typeof v === 'object' && v !== null && typeof v.error === 'string' && typeof v.message === 'string';
}

async function unwrap<T>(operation: string, pending: Promise<Outcome<T>>): Promise<T> {
  return (await unwrapWithResponse(operation, pending)).data;
}

/** As unwrap, with the response too (for its headers). */
async function unwrapWithResponse<T>(operation: string, pending: Promise<Outcome<T>>): Promise<{ data: T; response: Response }> {
  const { data, error, response } = await pending;
  if (response.ok) return { data: data as T, response };
  const retry = Number(response.headers.get('retry-after'));
  const body: ApiErrorBody | UnexpectedResponseBody = isErrorBody(error)
    ? error
    : { error: 'unexpected_response', message: `HTTP ${response.status}: ${String(typeof error === 'string' ? error : JSON.stringify(error ?? '')).slice(0, 200)}` };
  throw new NovaVMSError(operation, response.status, body, Number.isFinite(retry) && retry > 0 ? retry : undefined);
}

const byId = (id: string) => ({ params: { path: { id } } });

export class GatewaysApi {
  constructor(
    private readonly api: Api,
    /** The gateways' remote commands: the same object as `novavms.commands` (since 1.3). */
    readonly commands: CommandsApi = new CommandsApi(api),
    /** The gateways' configuration: the same object as `novavms.config` (since 1.3). */
    readonly config: ConfigApi = new ConfigApi(api),
    /** The gateways' keys: the same object as `novavms.credentials` (since 1.3). */
    readonly credentials: CredentialsApi = new CredentialsApi(api),
  ) {}
  /** GET /api/v1/gateways (viewer) */
  list(params?: ListGatewaysParams): Promise<GatewayList> {
    return unwrap('gateways_list', this.api.GET('/api/v1/gateways', { params: { query: snake(params) } }));
  }
  /** POST /api/v1/gateways/generate-pairing-code (operator) */
  generatePairingCode(params: GeneratePairingCodeParams): Promise<PairingCode> {
    return unwrap('gateways_generatePairingCode', this.api.POST('/api/v1/gateways/generate-pairing-code', { body: snake(params) }));
  }
  /**
   * POST /api/v1/gateways/{id}/pairing-code (operator, since 1.3): a code that pairs this gateway
   * again — same id, cameras, configuration, history; redeeming it revokes its keys before.
   */
  createPairingCode(id: string): Promise<RepairingCode> {
    return unwrap('gateways_createPairingCode', this.api.POST('/api/v1/gateways/{id}/pairing-code', byId(id)));
  }
  /** POST /api/v1/gateways/pair (public: the gateway itself redeems its code) */
  pair(params: PairParams): Promise<PairedGateway> {
    return unwrap('gateways_pair', this.api.POST('/api/v1/gateways/pair', { body: snake(params) }));
  }
  /** GET /api/v1/gateways/{id} (viewer) */
  get(id: string): Promise<Gateway> {
    return unwrap('gateways_get', this.api.GET('/api/v1/gateways/{id}', byId(id)));
  }
  /** GET /api/v1/gateways/{id}/telemetry (viewer) */
  telemetry(id: string): Promise<GatewayTelemetry> {
    return unwrap('gateways_telemetry', this.api.GET('/api/v1/gateways/{id}/telemetry', byId(id)));
  }
  /** PATCH /api/v1/gateways/{id} (operator) */
  update(id: string, params: UpdateGatewayParams): Promise<Gateway> {
    return unwrap('gateways_update', this.api.PATCH('/api/v1/gateways/{id}', { ...byId(id), body: snake(params) }));
  }
  /** DELETE /api/v1/gateways/{id} (operator) */
  async delete(id: string): Promise<void> {
    await unwrap('gateways_delete', this.api.DELETE('/api/v1/gateways/{id}', byId(id)));
  }
  /** GET /api/v1/gateways/{id}/availability (viewer, since 1.2) */
  availability(id: string, range?: TimeRangeParams): Promise<Availability> {
    return unwrap('gateways_availability', this.api.GET('/api/v1/gateways/{id}/availability', { params: { path: { id }, query: snake(range) } }));
  }
}

export class CredentialsApi {
  constructor(private readonly api: Api) {}
  /** GET /api/v1/gateways/{id}/credentials (admin, since 1.3): the gateway's keys (its newest 100), oldest first. */
  list(gatewayId: string): Promise<Credential[]> {
    return unwrap('credentials_list', this.api.GET('/api/v1/gateways/{id}/credentials', byId(gatewayId)));
  }
  /**
   * POST /api/v1/gateways/{id}/rotate-key (admin, since 1.3): the gateway is sent a new key; its
   * first connection with it makes it active and the key before retiring for `graceS` (default a day).
   */
  rotateKey(gatewayId: string, params?: RotateKeyParams): Promise<KeyRotation> {
    // The body is required by the spec even when empty: `{}` leaves grace_s to its default.
    return unwrap('credentials_rotateKey', this.api.POST('/api/v1/gateways/{id}/rotate-key', { ...byId(gatewayId), body: snake<Schemas['RotateKeyDto']>(params as Camelize<Schemas['RotateKeyDto']> | undefined) }));
  }
  /** POST /api/v1/gateways/{id}/revoke-keys (admin, since 1.3): every key revoked, its socket closed (4401); answers the keys as they are now. */
  revokeKeys(gatewayId: string): Promise<Credential[]> {
    return unwrap('credentials_revokeKeys', this.api.POST('/api/v1/gateways/{id}/revoke-keys', byId(gatewayId)));
  }
}

/** The statuses a command ends in; `queued`, `sent` and `accepted` are not finished yet. */
const FINISHED_COMMAND_STATUSES: ReadonlySet<CommandStatus> = new Set<CommandStatus>(['succeeded', 'failed', 'rejected', 'expired', 'canceled', 'timed_out']);
/** The most `wait_s` the API takes per request. */
const MAX_WAIT_S = 30;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class CommandsApi {
  constructor(private readonly api: Api) {}
  /**
   * POST /api/v1/gateways/{id}/commands (operator, since 1.3): queues a command for the gateway.
   * With `idempotencyKey`, repeating the same request returns the same command.
   */
  create(gatewayId: string, params: CreateCommandParams, options?: CreateCommandOptions): Promise<Command> {
    const header = options?.idempotencyKey !== undefined ? { 'Idempotency-Key': options.idempotencyKey } : undefined;
    return unwrap('commands_create', this.api.POST('/api/v1/gateways/{id}/commands', { params: { path: { id: gatewayId }, header }, body: snake<CreateCommandDto>(params as Camelize<CreateCommandDto>) }));
  }
  /** GET /api/v1/gateways/{id}/commands (viewer, since 1.3): oldest first; pass each page's `next_cursor` as `after` to read on. */
  list(gatewayId: string, params?: ListCommandsParams): Promise<CommandList> {
    return unwrap('commands_list', this.api.GET('/api/v1/gateways/{id}/commands', { params: { path: { id: gatewayId }, query: snake(params) } }));
  }
  /** GET /api/v1/commands/{id} (viewer, since 1.3): with `waitS`, the answer is held until the command is finished or the wait ends. */
  get(id: string, params?: GetCommandParams): Promise<Command> {
    return unwrap('commands_get', this.api.GET('/api/v1/commands/{id}', { params: { path: { id }, query: snake(params) } }));
  }
  /** POST /api/v1/commands/{id}/cancel (operator, since 1.3): only a `queued` command can be canceled (else 409). */
  cancel(id: string): Promise<Command> {
    return unwrap('commands_cancel', this.api.POST('/api/v1/commands/{id}/cancel', byId(id)));
  }
  /**
   * GET /api/v1/commands/{id}?wait_s=... (viewer, since 1.3) until the command is finished
   * (succeeded, failed, rejected, expired, canceled, timed_out) or `timeoutS` (default 60; the API
   * waits in whole seconds) has passed, whichever is first, holding each request at most 30 s.
   * Returns the command as last seen: check its `status`, as running out of time is not an error
   * (an API error, a 404 say, is thrown as a NovaVMSError).
   */
  async wait(id: string, options?: WaitCommandOptions): Promise<Command> {
    const deadline = Date.now() + Math.max(0, options?.timeoutS ?? 60) * 1000;
    for (;;) {
      const started = Date.now();
      const waitS = Math.min(MAX_WAIT_S, Math.max(0, Math.ceil((deadline - started) / 1000)));
      const command = await this.get(id, { waitS });
      if (FINISHED_COMMAND_STATUSES.has(command.status) || deadline - Date.now() < 1000) return command;
      // An answer that came back early and unfinished (a server that does not hold it): at most one request a second.
      const elapsed = Date.now() - started;
      if (elapsed < 1000) await sleep(1000 - elapsed);
    }
  }
}

/** How many times `config.update()` reads again and retries after a 412 before it gives up. */
const MAX_CONFIG_UPDATE_RETRIES = 5;

function isPreconditionFailed(e: unknown): e is NovaVMSError {
  return e instanceof NovaVMSError && e.status === 412 && e.code === 'precondition_failed';
}

/** The configuration with its ETag: the ETag header, or (where it cannot be read) the desired version quoted, which it is. */
function versioned({ data, response }: { data: GatewayConfig; response: Response }): VersionedConfig {
  return { config: data, etag: response.headers.get('etag') ?? `"${data.desired_version}"` };
}

export class ConfigApi {
  constructor(private readonly api: Api) {}
  /** GET /api/v1/gateways/{id}/config (viewer, since 1.3): the configuration and its ETag, to write back as `ifMatch`. */
  async get(gatewayId: string): Promise<VersionedConfig> {
    return versioned(await unwrapWithResponse('config_get', this.api.GET('/api/v1/gateways/{id}/config', byId(gatewayId))));
  }
  /**
   * PUT /api/v1/gateways/{id}/config (operator, since 1.3): replaces the whole desired document.
   * With `ifMatch`, a configuration changed since that ETag is a 412 `precondition_failed`.
   */
  async put(gatewayId: string, document: ConfigDocument, options?: ConfigWriteOptions): Promise<VersionedConfig> {
    const header = options?.ifMatch !== undefined ? { 'If-Match': options.ifMatch } : undefined;
    return versioned(await unwrapWithResponse('config_put', this.api.PUT('/api/v1/gateways/{id}/config', { params: { path: { id: gatewayId }, header }, body: document })));
  }
  /**
   * PATCH /api/v1/gateways/{id}/config (operator, since 1.3): a JSON merge patch (RFC 7396, sent as
   * `application/merge-patch+json`) of the desired document: members merge, `null` deletes one.
   * With `ifMatch`, as `put()`.
   */
  async patch(gatewayId: string, mergePatch: ConfigMergePatch, options?: ConfigWriteOptions): Promise<VersionedConfig> {
    const header = options?.ifMatch !== undefined ? { 'If-Match': options.ifMatch } : undefined;
    // The spec types the body as the document itself; a merge patch also carries nulls, which the API takes as deletions.
    const body = mergePatch as ConfigDocument;
    return versioned(await unwrapWithResponse('config_patch', this.api.PATCH('/api/v1/gateways/{id}/config', { params: { path: { id: gatewayId }, header }, headers: { 'Content-Type': 'application/merge-patch+json' }, body })));
  }
  /** GET /api/v1/config-schema (viewer, since 1.3): the JSON Schema every desired document is validated with. */
  async schema(): Promise<ConfigJsonSchema> {
    return (await unwrap('config_schema', this.api.GET('/api/v1/config-schema'))) as ConfigJsonSchema;
  }
  /**
   * A read-modify-write with the ETag handled for you: reads the configuration, calls `change`
   * with its desired document (a copy of its own, free to modify) and writes what it returns with
   * `If-Match` of the ETag read. When another write came in between (412), it reads again and
   * calls `change` again, retrying at most 5 times; then (or on any other API error) it throws
   * the NovaVMSError. Returns the configuration written and its ETag.
   */
  async update(gatewayId: string, change: (current: ConfigDocument, config: GatewayConfig) => ConfigDocument | Promise<ConfigDocument>): Promise<VersionedConfig> {
    for (let retries = 0; ; retries++) {
      const { config, etag } = await this.get(gatewayId);
      const next = await change(structuredClone(config.desired), config);
      try {
        return await this.put(gatewayId, next, { ifMatch: etag });
      } catch (e) {
        if (!isPreconditionFailed(e) || retries >= MAX_CONFIG_UPDATE_RETRIES) throw e;
      }
    }
  }
}

export class SitesApi {
  constructor(private readonly api: Api) {}
  list(params?: ListSitesParams): Promise<SiteList> {
    return unwrap('sites_list', this.api.GET('/api/v1/sites', { params: { query: snake(params) } }));
  }
  create(params: CreateSiteParams): Promise<Site> {
    return unwrap('sites_create', this.api.POST('/api/v1/sites', { body: snake(params) }));
  }
}

export class ApiKeysApi {
  constructor(private readonly api: Api) {}
  list(params?: ListApiKeysParams): Promise<ApiKeyList> {
    return unwrap('apiKeys_list', this.api.GET('/api/v1/api-keys', { params: { query: snake(params) } }));
  }
  create(params: CreateApiKeyParams): Promise<CreatedApiKey> {
    return unwrap('apiKeys_create', this.api.POST('/api/v1/api-keys', { body: snake(params) }));
  }
  async delete(id: string): Promise<void> {
    await unwrap('apiKeys_delete', this.api.DELETE('/api/v1/api-keys/{id}', byId(id)));
  }
}

export class CamerasApi {
  constructor(private readonly api: Api) {}
  list(params?: ListCamerasParams): Promise<CameraList> {
    return unwrap('cameras_list', this.api.GET('/api/v1/cameras', { params: { query: snake(params) } }));
  }
  create(params: CreateCameraParams): Promise<Camera> {
    return unwrap('cameras_create', this.api.POST('/api/v1/cameras', { body: snake(params) }));
  }
  get(id: string): Promise<Camera> {
    return unwrap('cameras_get', this.api.GET('/api/v1/cameras/{id}', byId(id)));
  }
  update(id: string, params: UpdateCameraParams): Promise<Camera> {
    return unwrap('cameras_update', this.api.PATCH('/api/v1/cameras/{id}', { ...byId(id), body: snake(params) }));
  }
  async delete(id: string): Promise<void> {
    await unwrap('cameras_delete', this.api.DELETE('/api/v1/cameras/{id}', byId(id)));
  }
  /** GET /api/v1/cameras/{id}/recording-coverage (viewer, since 1.2) */
  recordingCoverage(id: string, range?: TimeRangeParams): Promise<RecordingCoverage> {
    return unwrap('cameras_recordingCoverage', this.api.GET('/api/v1/cameras/{id}/recording-coverage', { params: { path: { id }, query: snake(range) } }));
  }
}

export class EventsApi {
  constructor(private readonly api: Api) {}
  /** GET /api/v1/events (viewer, since 1.2): pass each page's `next_cursor` as `after` to read on. */
  list(params?: ListEventsParams): Promise<EventList> {
    return unwrap('events_list', this.api.GET('/api/v1/events', { params: { query: snake(params) } }));
  }
}

export class WebhooksApi {
  constructor(private readonly api: Api) {}
  /** POST /api/v1/webhooks (admin, since 1.2): the answer carries the signing secret, once. */
  create(params: CreateWebhookParams): Promise<CreatedWebhook> {
    return unwrap('webhooks_create', this.api.POST('/api/v1/webhooks', { body: snake(params) }));
  }
  list(params?: ListWebhooksParams): Promise<WebhookList> {
    return unwrap('webhooks_list', this.api.GET('/api/v1/webhooks', { params: { query: snake(params) } }));
  }
  get(id: string): Promise<WebhookEndpoint> {
    return unwrap('webhooks_get', this.api.GET('/api/v1/webhooks/{id}', byId(id)));
  }
  update(id: string, params: UpdateWebhookParams): Promise<WebhookEndpoint> {
    return unwrap('webhooks_update', this.api.PATCH('/api/v1/webhooks/{id}', { ...byId(id), body: snake(params) }));
  }
  async delete(id: string): Promise<void> {
    await unwrap('webhooks_delete', this.api.DELETE('/api/v1/webhooks/{id}', byId(id)));
  }
  /** A new secret; for 24 h the previous one signs too. */
  rotateSecret(id: string): Promise<WebhookSecret> {
    return unwrap('webhooks_rotateSecret', this.api.POST('/api/v1/webhooks/{id}/rotate-secret', byId(id)));
  }
  /** Queues a `webhook.test` event for this endpoint. */
  test(id: string): Promise<WebhookDelivery> {
    return unwrap('webhooks_test', this.api.POST('/api/v1/webhooks/{id}/test', byId(id)));
  }
  deliveries(id: string, params?: ListDeliveriesParams): Promise<WebhookDeliveryList> {
    return unwrap('webhooks_deliveries', this.api.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id }, query: snake(params) } }));
  }
  redeliver(id: string, deliveryId: string): Promise<WebhookDelivery> {
    return unwrap('webhooks_redeliver', this.api.POST('/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver', { params: { path: { id, delivery_id: deliveryId } } }));
  }
}

/** What a webhook delivers: an event as GET /api/v1/events shows it, or a `webhook.test`. */
export type WebhookPayload = GatewayEvent | { id: string; type: 'webhook.test'; occurred_at: string; org_id: string; data: { webhook_id: string } };

/**
 * Checks a delivery your endpoint received — signature (any of the `v1,` signatures, so it holds
 * through a rotation) and a timestamp within 5 minutes — and returns the event. Pass the raw body
 * exactly as received, the request's headers, and the endpoint's `whsec_` secret. Throws
 * (standardwebhooks' WebhookVerificationError) when the delivery is not authentic.
 */
export function verifyWebhook(rawBody: Parameters<StandardWebhook["verify"]>[0], headers: Record<string, string | string[] | undefined>, secret: string): WebhookPayload {
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) flat[k.toLowerCase()] = Array.isArray(v) ? v.join(' ') : v;
  return new StandardWebhook(secret).verify(rawBody, flat) as WebhookPayload;
}

export class HealthApi {
  constructor(private readonly api: Api) {}
  /** GET /healthz: the process is alive. */
  live(): Promise<Health> {
    return unwrap('health_live', this.api.GET('/healthz'));
  }
  /** GET /readyz: the database answers. */
  ready(): Promise<Health> {
    return unwrap('health_ready', this.api.GET('/readyz'));
  }
}

export class NovaVMS {
  readonly gateways: GatewaysApi;
  /** Remote commands (since 1.3); also reachable as `gateways.commands`. */
  readonly commands: CommandsApi;
  /** Gateway configuration (since 1.3); also reachable as `gateways.config`. */
  readonly config: ConfigApi;
  /** Gateway keys: rotation, revocation (since 1.3); also reachable as `gateways.credentials`. */
  readonly credentials: CredentialsApi;
  readonly sites: SitesApi;
  readonly apiKeys: ApiKeysApi;
  readonly cameras: CamerasApi;
  readonly events: EventsApi;
  readonly webhooks: WebhooksApi;
  readonly health: HealthApi;
  /** The underlying openapi-fetch client, for anything the facade does not cover. */
  readonly raw: Api;

  constructor(options: NovaVMSOptions) {
    this.raw = createClient<paths>({
      baseUrl: options.baseUrl,
      fetch: options.fetch,
      headers: { ...options.headers, ...(options.apiKey ? { Authorization: `Bearer ${options.apiKey}` } : {}) },
    });
    this.commands = new CommandsApi(this.raw);
    this.config = new ConfigApi(this.raw);
    this.credentials = new CredentialsApi(this.raw);
    this.gateways = new GatewaysApi(this.raw, this.commands, this.config, this.credentials);
    this.sites = new SitesApi(this.raw);
    this.apiKeys = new ApiKeysApi(this.raw);
    this.cameras = new CamerasApi(this.raw);
    this.events = new EventsApi(this.raw);
    this.webhooks = new WebhooksApi(this.raw);
    this.health = new HealthApi(this.raw);
  }
}
