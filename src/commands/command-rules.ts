import type { ErrorDetail } from '../common/api-error';
import { jsonBytes } from '../common/json-limits';
import { isUuid } from '../common/uuid';
import { isObject, Validated } from '../common/validated';

/** The command types of v1 (DESIGN.md, "Gateway sessions and remote commands"). */
export const COMMAND_TYPES = ['gateway.reboot', 'gateway.restart_service', 'camera.reboot', 'cameras.discover', 'network.probe'] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

export const COMMAND_STATUSES = ['queued', 'sent', 'accepted', 'succeeded', 'failed', 'rejected', 'expired', 'canceled', 'timed_out'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

/** Not finished: counted against the per-gateway limit, and what a `wait_s` read waits on. */
export const UNFINISHED_STATUSES: readonly CommandStatus[] = ['queued', 'sent', 'accepted'];

/** The capability a gateway declares in its `session` frame to be sent commands. */
export const COMMANDS_CAPABILITY = 'commands.v1';

export const MAX_UNFINISHED_PER_GATEWAY = 16;
export const MAX_PARAMS_BYTES = 8 * 1024;
export const MAX_RESULT_BYTES = 48 * 1024;
export const MAX_DISCOVERED_DEVICES = 256;
export const DISCOVER_TIMEOUT_MAX_S = 60;
export const DISCOVER_TIMEOUT_DEFAULT_S = 10;
/**
 * `expires_in_s: 0` ("only if online now") still leaves this long for the instance holding the
 * socket to send it: the poll that heals a lost signal runs this often.
 */
export const ONLINE_NOW_DELIVERY_S = 5;
const MAX_TEXT = 1024;

export type CommandParams = Record<string, unknown>;
export interface CommandError {
  code: string;
  message: string;
}

const isInt = (v: unknown, min: number, max: number): v is number => Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;
/** A host name (RFC 1123 labels) or an IPv4/IPv6 literal. */
const HOST = /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$|^[0-9A-Fa-f:.]{2,45}$/;
const ERROR_CODE = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const MAC = /^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}$/;

function unknownFields(obj: Record<string, unknown>, known: string[], prefix: string): ErrorDetail[] {
  return Object.keys(obj)
    .filter((k) => !known.includes(k))
    .map((k) => ({ field: `${prefix}${k.slice(0, 64)}`, message: 'unknown field' }));
}

/**
 * A command's params for its type, with defaults filled in: `{}` for the types without params,
 * `camera_id` for `camera.reboot` (whether it is bound to the gateway is the service's check),
 * `timeout_s` 1–60 (default 10) for `cameras.discover`, `host` and `port` for `network.probe`.
 */
export function validateParams(type: CommandType, params: unknown): Validated<CommandParams> {
  if (params === undefined || params === null) params = {};
  if (!isObject(params)) return { ok: false, details: [{ field: 'params', message: 'must be an object' }] };
  if (jsonBytes(params) > MAX_PARAMS_BYTES) return { ok: false, details: [{ field: 'params', message: `must be at most ${MAX_PARAMS_BYTES / 1024} KiB of JSON` }] };
  switch (type) {
    case 'gateway.reboot':
    case 'gateway.restart_service': {
      const details = unknownFields(params, [], 'params.');
      return details.length ? { ok: false, details } : { ok: true, value: {} };
    }
    case 'camera.reboot': {
      const details = unknownFields(params, ['camera_id'], 'params.');
      const id = params.camera_id;
      if (typeof id !== 'string' || !isUuid(id)) details.push({ field: 'params.camera_id', message: 'must be the uuid of a camera bound to this gateway' });
      return details.length ? { ok: false, details } : { ok: true, value: { camera_id: (id as string).toLowerCase() } };
    }
    case 'cameras.discover': {
      const details = unknownFields(params, ['timeout_s'], 'params.');
      const t = params.timeout_s ?? DISCOVER_TIMEOUT_DEFAULT_S;
      if (!isInt(t, 1, DISCOVER_TIMEOUT_MAX_S)) details.push({ field: 'params.timeout_s', message: `must be an integer from 1 to ${DISCOVER_TIMEOUT_MAX_S}` });
      return details.length ? { ok: false, details } : { ok: true, value: { timeout_s: t } };
    }
    case 'network.probe': {
      const details = unknownFields(params, ['host', 'port'], 'params.');
      const { host, port } = params;
      if (typeof host !== 'string' || !HOST.test(host)) details.push({ field: 'params.host', message: 'must be a host name or an IP address' });
      if (!isInt(port, 1, 65535)) details.push({ field: 'params.port', message: 'must be an integer from 1 to 65535' });
      return details.length ? { ok: false, details } : { ok: true, value: { host, port } };
    }
  }
}

/** `command_ack` from a gateway: `{id, status: accepted|rejected, reason?}`. */
export interface CommandAck {
  id: string;
  status: 'accepted' | 'rejected';
  reason?: string;
}

/** `command_result` from a gateway: `{id, status: succeeded|failed, result? | error?}`. */
export interface CommandResultReport {
  id: string;
  status: 'succeeded' | 'failed';
  result?: Record<string, unknown>;
  error?: CommandError;
}

function validateId(data: Record<string, unknown>, details: ErrorDetail[]): string {
  if (typeof data.id !== 'string' || !isUuid(data.id)) details.push({ field: 'id', message: 'must be the uuid of a command' });
  return typeof data.id === 'string' ? data.id.toLowerCase() : '';
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.length >= 1 && v.length <= MAX_TEXT;

export function validateAck(data: unknown): Validated<CommandAck> {
  if (!isObject(data)) return { ok: false, details: [{ field: 'data', message: 'must be an object' }] };
  const details = unknownFields(data, ['id', 'status', 'reason'], '');
  const id = validateId(data, details);
  if (data.status !== 'accepted' && data.status !== 'rejected') details.push({ field: 'status', message: 'must be accepted or rejected' });
  if (data.reason !== undefined && !isText(data.reason)) details.push({ field: 'reason', message: `must be a string of 1 to ${MAX_TEXT} characters` });
  if (details.length) return { ok: false, details };
  const value: CommandAck = { id, status: data.status as CommandAck['status'] };
  if (data.reason !== undefined) value.reason = data.reason as string;
  return { ok: true, value };
}

function validateError(v: unknown, details: ErrorDetail[]): void {
  if (!isObject(v)) {
    details.push({ field: 'error', message: 'must be an object {code, message}' });
    return;
  }
  details.push(...unknownFields(v, ['code', 'message'], 'error.'));
  if (typeof v.code !== 'string' || !ERROR_CODE.test(v.code)) details.push({ field: 'error.code', message: 'must be 1 to 64 of a-z, 0-9, ".", "_", "-"' });
  if (!isText(v.message)) details.push({ field: 'error.message', message: `must be a string of 1 to ${MAX_TEXT} characters` });
}

/**
 * The frame's shape; the result itself is checked against the command's type when the command
 * is known (validateResult). A failure carries `error` and no result; a success no error.
 */
export function validateResultFrame(data: unknown): Validated<CommandResultReport> {
  if (!isObject(data)) return { ok: false, details: [{ field: 'data', message: 'must be an object' }] };
  const details = unknownFields(data, ['id', 'status', 'result', 'error'], '');
  const id = validateId(data, details);
  const { status, result, error } = data;
  if (status !== 'succeeded' && status !== 'failed') details.push({ field: 'status', message: 'must be succeeded or failed' });
  if (result !== undefined && !isObject(result)) details.push({ field: 'result', message: 'must be an object' });
  if (status === 'succeeded' && error !== undefined) details.push({ field: 'error', message: 'only a failed command has an error' });
  if (status === 'failed') {
    if (result !== undefined) details.push({ field: 'result', message: 'a failed command has an error, not a result' });
    validateError(error, details);
  }
  if (details.length) return { ok: false, details };
  const value: CommandResultReport = { id, status: status as CommandResultReport['status'] };
  if (result !== undefined) value.result = result as Record<string, unknown>;
  if (error !== undefined) value.error = { code: (error as CommandError).code, message: (error as CommandError).message };
  return { ok: true, value };
}

const isNullableText = (v: unknown, max: number) => v === null || (typeof v === 'string' && v.length >= 1 && v.length <= max);

/** The result a succeeded command of this type keeps (`null` for the types that return nothing). */
export function validateResult(type: CommandType, result: Record<string, unknown> | undefined): Validated<Record<string, unknown> | null> {
  if (result !== undefined && jsonBytes(result) > MAX_RESULT_BYTES) return { ok: false, details: [{ field: 'result', message: `must be at most ${MAX_RESULT_BYTES / 1024} KiB of JSON` }] };
  switch (type) {
    case 'gateway.reboot':
    case 'gateway.restart_service':
    case 'camera.reboot': {
      const details = result ? unknownFields(result, [], 'result.') : [];
      return details.length ? { ok: false, details } : { ok: true, value: null };
    }
    case 'cameras.discover': {
      const devices = result?.devices;
      if (!Array.isArray(devices) || devices.length > MAX_DISCOVERED_DEVICES) {
        return { ok: false, details: [{ field: 'result.devices', message: `must be a list of at most ${MAX_DISCOVERED_DEVICES} devices` }] };
      }
      const details = unknownFields(result!, ['devices'], 'result.');
      const kept = devices.map((d: unknown, i) => {
        const at = `result.devices.${i}`;
        if (!isObject(d)) {
          details.push({ field: at, message: 'must be an object' });
          return null;
        }
        details.push(...unknownFields(d, ['address', 'mac', 'manufacturer', 'model', 'onvif_xaddr', 'camera_id'], `${at}.`));
        if (typeof d.address !== 'string' || !HOST.test(d.address)) details.push({ field: `${at}.address`, message: 'must be a host name or an IP address' });
        if (!(d.mac === undefined || d.mac === null || (typeof d.mac === 'string' && MAC.test(d.mac)))) details.push({ field: `${at}.mac`, message: 'must be a MAC address aa:bb:cc:dd:ee:ff or null' });
        for (const f of ['manufacturer', 'model'] as const) if (!(d[f] === undefined || isNullableText(d[f], 100))) details.push({ field: `${at}.${f}`, message: 'must be 1 to 100 characters or null' });
        if (!(d.onvif_xaddr === undefined || isNullableText(d.onvif_xaddr, 512))) details.push({ field: `${at}.onvif_xaddr`, message: 'must be 1 to 512 characters or null' });
        if (!(d.camera_id === undefined || d.camera_id === null || (typeof d.camera_id === 'string' && isUuid(d.camera_id)))) details.push({ field: `${at}.camera_id`, message: 'must be a uuid or null' });
        return {
          address: d.address,
          mac: d.mac ?? null,
          manufacturer: d.manufacturer ?? null,
          model: d.model ?? null,
          onvif_xaddr: d.onvif_xaddr ?? null,
          camera_id: typeof d.camera_id === 'string' ? d.camera_id.toLowerCase() : null,
        };
      });
      return details.length ? { ok: false, details: details.slice(0, 20) } : { ok: true, value: { devices: kept } };
    }
    case 'network.probe': {
      if (!result) return { ok: false, details: [{ field: 'result', message: 'must be {reachable, latency_ms}' }] };
      const details = unknownFields(result, ['reachable', 'latency_ms'], 'result.');
      if (typeof result.reachable !== 'boolean') details.push({ field: 'result.reachable', message: 'must be a boolean' });
      const ms = result.latency_ms;
      if (!(ms === null || ms === undefined || (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 && ms <= 3_600_000))) details.push({ field: 'result.latency_ms', message: 'must be a number of ms ≥ 0, or null' });
      return details.length ? { ok: false, details } : { ok: true, value: { reachable: result.reachable, latency_ms: ms ?? null } };
    }
  }
}

/** A command as a report from its gateway finds it (locked for the change). */
export interface ReportedCommand {
  id: string;
  type: CommandType;
  status: CommandStatus;
  hasLateResult: boolean;
}

/** What a report changes; `undefined` fields stay as they are. Timestamps are the database's. */
export interface CommandChange {
  status?: CommandStatus;
  setAcceptedAt?: boolean;
  setCompletedAt?: boolean;
  result?: Record<string, unknown> | null;
  error?: CommandError;
  lateResult?: { status: CommandStatus; result: Record<string, unknown> | null; error: CommandError | null };
}

/**
 * The state machine's answer to a `command_ack`: `sent → accepted | rejected`. An ack for a
 * command in any other state (a duplicate, a late one) changes nothing.
 */
export function onAck(command: ReportedCommand, ack: CommandAck): CommandChange | null {
  if (command.status !== 'sent') return null;
  if (ack.status === 'accepted') return { status: 'accepted', setAcceptedAt: true };
  return { status: 'rejected', setCompletedAt: true, error: { code: 'rejected', message: ack.reason ?? 'The gateway rejected the command' } };
}

/**
 * The answer to a `command_result`: `sent | accepted → succeeded | failed`; after `timed_out`
 * the first result is kept as `late_result` and the status stays; any other state (a duplicate
 * sent again after a reconnect) changes nothing. A success whose result does not fit its type
 * is `failed` with `invalid_result`: the outcome is final either way, and the operator sees why.
 */
export function onResult(command: ReportedCommand, report: CommandResultReport): CommandChange | null {
  let outcome: { status: CommandStatus; result: Record<string, unknown> | null; error: CommandError | null };
  if (report.status === 'failed') outcome = { status: 'failed', result: null, error: report.error! };
  else {
    const checked = validateResult(command.type, report.result);
    outcome = checked.ok
      ? { status: 'succeeded', result: checked.value, error: null }
      : { status: 'failed', result: null, error: { code: 'invalid_result', message: checked.details.map((d) => `${d.field}: ${d.message}`).join('; ').slice(0, MAX_TEXT) } };
  }
  if (command.status === 'sent' || command.status === 'accepted') {
    return { status: outcome.status, setCompletedAt: true, result: outcome.result, ...(outcome.error ? { error: outcome.error } : {}) };
  }
  if (command.status === 'timed_out' && !command.hasLateResult) return { lateResult: outcome };
  return null;
}
