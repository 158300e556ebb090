import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { ErrorDetail } from '../common/api-error';
import { isObject } from '../common/validated';

/** A desired (or reported) configuration document: typed, never free-form (DESIGN.md, "Configuration"). */
export type ConfigDocument = Record<string, unknown>;

/** The largest document, as JSON: a bigger PUT, or a PATCH that makes one, is 413. */
export const MAX_DOCUMENT_BYTES = 32 * 1024;
/** The capability a gateway declares in its `session` frame to be sent its configuration. */
export const CONFIG_CAPABILITY = 'config.v1';

const HOST = '^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^[0-9A-Fa-f:.]{2,45}$';

/** `GET /api/v1/config-schema`: the one source of the document's rules (the service validates with it). */
export const CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://novavms.novalien.com/api/v1/config-schema',
  title: 'NovaVMS gateway configuration',
  description: 'The desired configuration of one gateway. Every field is optional; a field left out keeps the gateway\'s own setting. Camera keys must be cameras bound to the gateway.',
  type: 'object',
  additionalProperties: false,
  properties: {
    heartbeat_interval_s: { type: 'integer', minimum: 5, maximum: 3600, description: 'Seconds between heartbeats' },
    log_level: { enum: ['debug', 'info', 'warn', 'error'] },
    timezone: { type: 'string', minLength: 1, maxLength: 64, description: 'An IANA time zone, e.g. Europe/Berlin' },
    ntp_servers: { type: 'array', maxItems: 8, uniqueItems: true, items: { type: 'string', pattern: HOST }, description: 'Host names or addresses' },
    upstream_cap_mbps: { type: 'number', minimum: 0.1, maximum: 100000, description: 'Upload bandwidth the gateway may use, in Mbit/s' },
    retention_days: { type: 'integer', minimum: 1, maximum: 3650, description: 'Days of recordings kept on the gateway' },
    cameras: {
      type: 'object',
      maxProperties: 1024,
      propertyNames: { format: 'uuid' },
      description: 'Per camera (by id), only cameras bound to this gateway',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['recording'],
        properties: {
          recording: { enum: ['continuous', 'motion', 'off'] },
          stream_profile: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,31}$', description: 'The camera stream profile to record, e.g. main or sub' },
          fps: { type: 'integer', minimum: 1, maximum: 120 },
          bitrate_kbps: { type: 'integer', minimum: 32, maximum: 100000 },
        },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv, ['uuid']);
const validate = ajv.compile(CONFIG_SCHEMA);
const TIME_ZONES = new Set(Intl.supportedValuesOf('timeZone').concat(['UTC', 'Etc/UTC']));

/** `/cameras/abc/fps` → `cameras.abc.fps` (the `details[].field` convention). */
function field(e: ErrorObject): string {
  const at = e.instancePath.split('/').filter(Boolean);
  if (e.keyword === 'additionalProperties') at.push(String((e.params as { additionalProperty: string }).additionalProperty));
  if (e.keyword === 'required') at.push(String((e.params as { missingProperty: string }).missingProperty));
  if (e.keyword === 'propertyNames') at.push(String((e.params as { propertyName: string }).propertyName));
  return at.length ? at.join('.').slice(0, 200) : 'body';
}

function message(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return 'unknown field';
  if (e.keyword === 'propertyNames') return 'camera keys must be camera ids (uuids)';
  if (e.keyword === 'enum') return `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  return e.message ?? 'is invalid';
}

/**
 * Problems of a document against the schema, then the rules a schema cannot say: a real time
 * zone, and (for a desired document) camera keys that are cameras bound to the gateway.
 */
export function documentProblems(doc: unknown, boundCameraIds?: ReadonlySet<string>): ErrorDetail[] {
  if (!validate(doc)) {
    const seen = new Set<string>();
    const details: ErrorDetail[] = [];
    for (const e of validate.errors ?? []) {
      // The propertyNames keyword reports its own error and one of the name's format: one is enough.
      if (e.propertyName !== undefined && e.keyword === 'format') continue;
      const d = { field: field(e), message: message(e) };
      const key = `${d.field}\n${d.message}`;
      if (!seen.has(key)) details.push(d);
      seen.add(key);
    }
    return details.slice(0, 50);
  }
  const d = doc as { timezone?: string; cameras?: Record<string, unknown> };
  const details: ErrorDetail[] = [];
  if (d.timezone !== undefined && !TIME_ZONES.has(d.timezone)) details.push({ field: 'timezone', message: 'must be an IANA time zone such as Europe/Berlin' });
  if (boundCameraIds) {
    for (const id of Object.keys(d.cameras ?? {})) {
      if (!boundCameraIds.has(id.toLowerCase())) details.push({ field: `cameras.${id}`, message: 'is not a camera bound to this gateway' });
    }
  }
  return details.slice(0, 50);
}

/**
 * RFC 7396 JSON Merge Patch: objects merge member by member, `null` deletes, anything else
 * replaces. Members are defined as own properties, so a member named `__proto__` stays a member
 * (which the schema then refuses) instead of replacing the result's prototype.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  if (isObject(target)) for (const [key, value] of Object.entries(target)) set(key, value);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else set(key, mergePatch(Object.prototype.hasOwnProperty.call(out, key) ? out[key] : undefined, value));
  }
  return out;
}

/** The paths (`log_level`, `cameras.<id>.fps`) whose value differs between two documents, sorted. */
export function changedPaths(before: unknown, after: unknown, prefix = ''): string[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => changedPaths(before[k], after[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [prefix || '$'];
}

/** Camera ids normalised to lower case, so a key is one camera whatever its spelling. */
export function normalised(doc: ConfigDocument): ConfigDocument {
  const cameras = doc.cameras;
  if (!isObject(cameras)) return doc;
  return { ...doc, cameras: Object.fromEntries(Object.entries(cameras).map(([k, v]) => [k.toLowerCase(), v])) };
}
