import type { ErrorDetail } from '../common/api-error';
import { isUuid } from '../common/uuid';
import { isObject, Validated } from '../common/validated';
import type { NetworkThroughput, RecordingStatus } from '../gateways/gateway-telemetry.entity';
import { MAX_CAMERAS_PER_FRAME, MAX_CAPABILITIES, SessionReport, TelemetryReport } from '../telemetry/telemetry-report';

const RECORDING_STATUSES: readonly RecordingStatus[] = ['recording', 'idle', 'error'];

export type { Validated };

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A heartbeat carries nothing: `{}` (or no data at all). */
export function validateHeartbeat(data: unknown): Validated<Record<string, never>> {
  if (data === undefined || (isObject(data) && Object.keys(data).length === 0)) return { ok: true, value: {} };
  return { ok: false, details: [{ field: 'data', message: 'heartbeat data must be an empty object' }] };
}

const CAPABILITY = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const FIRMWARE_MAX = 128;

/**
 * A `session` frame (v1.3): `boot_id` (uuid) and `capabilities` (names such as `commands.v1`)
 * required, `firmware` (1–128 characters, not all blank) and `config_version` (an integer ≥ 0) optional, no
 * other field.
 */
export function validateSession(data: unknown): Validated<SessionReport> {
  if (!isObject(data)) return { ok: false, details: [{ field: 'data', message: 'must be an object' }] };
  const details: ErrorDetail[] = [];
  for (const key of Object.keys(data)) {
    if (!['boot_id', 'firmware', 'capabilities', 'config_version'].includes(key)) details.push({ field: key.slice(0, 64), message: 'unknown field' });
  }
  const { boot_id: bootId, firmware, capabilities, config_version: configVersion } = data;
  if (typeof bootId !== 'string' || !isUuid(bootId)) details.push({ field: 'boot_id', message: 'must be a uuid' });
  if (firmware !== undefined && (typeof firmware !== 'string' || firmware.length > FIRMWARE_MAX || !/\S/.test(firmware))) {
    details.push({ field: 'firmware', message: `must be a string of 1 to ${FIRMWARE_MAX} characters, not all blank` });
  }
  if (!Array.isArray(capabilities) || capabilities.length > MAX_CAPABILITIES || !capabilities.every((c) => typeof c === 'string' && CAPABILITY.test(c))) {
    details.push({ field: 'capabilities', message: `must be a list of at most ${MAX_CAPABILITIES} names such as "commands.v1" (lower case letters, digits, ".", "_", "-")` });
  }
  if (configVersion !== undefined && !(Number.isSafeInteger(configVersion) && (configVersion as number) >= 0)) {
    details.push({ field: 'config_version', message: 'must be an integer ≥ 0' });
  }
  if (details.length > 0) return { ok: false, details };
  const value: SessionReport = { boot_id: (bootId as string).toLowerCase(), capabilities: [...new Set(capabilities as string[])] };
  if (firmware !== undefined) value.firmware = firmware as string;
  if (configVersion !== undefined) value.config_version = configVersion as number;
  return { ok: true, value };
}

/**
 * Validates a telemetry frame's data field by field. Hand-written rather than class-validator:
 * it runs for every frame of every gateway, and this is several times cheaper.
 */
export function validateTelemetry(data: unknown): Validated<TelemetryReport> {
  if (!isObject(data)) return { ok: false, details: [{ field: 'data', message: 'must be an object' }] };
  const details: ErrorDetail[] = [];
  const value: TelemetryReport = {};
  for (const key of Object.keys(data)) {
    switch (key) {
      case 'cpu_percent': {
        const v = data[key];
        if (!isFiniteNumber(v) || v < 0 || v > 100) details.push({ field: key, message: 'must be a number from 0 to 100' });
        else value.cpu_percent = v;
        break;
      }
      case 'memory_mb': {
        const v = data[key];
        if (!isFiniteNumber(v) || v < 0) details.push({ field: key, message: 'must be a number ≥ 0' });
        else value.memory_mb = v;
        break;
      }
      case 'camera_recording_status': {
        const v = data[key];
        if (!isObject(v)) {
          details.push({ field: key, message: 'must be an object of camera uuid → recording|idle|error' });
          break;
        }
        const entries = Object.entries(v);
        if (entries.length > MAX_CAMERAS_PER_FRAME) {
          details.push({ field: key, message: `at most ${MAX_CAMERAS_PER_FRAME} cameras` });
          break;
        }
        const statuses: Record<string, RecordingStatus> = {};
        for (const [camera, status] of entries) {
          if (!isUuid(camera)) details.push({ field: `${key}.${camera.slice(0, 64)}`, message: 'camera id must be a uuid' });
          else if (!RECORDING_STATUSES.includes(status as RecordingStatus)) {
            details.push({ field: `${key}.${camera}`, message: 'must be recording, idle or error' });
          } else statuses[camera.toLowerCase()] = status as RecordingStatus;
        }
        value.camera_recording_status = statuses;
        break;
      }
      case 'network_throughput': {
        const v = data[key];
        if (!isObject(v)) {
          details.push({ field: key, message: 'must be an object with upstream_mbps and/or downstream_mbps' });
          break;
        }
        const throughput: NetworkThroughput = {};
        for (const [name, n] of Object.entries(v)) {
          if (name !== 'upstream_mbps' && name !== 'downstream_mbps') details.push({ field: `${key}.${name.slice(0, 64)}`, message: 'unknown field' });
          else if (!isFiniteNumber(n) || n < 0) details.push({ field: `${key}.${name}`, message: 'must be a number ≥ 0' });
          else throughput[name] = n;
        }
        value.network_throughput = throughput;
        break;
      }
      default:
        details.push({ field: key.slice(0, 64), message: 'unknown field' });
    }
  }
  return details.length > 0 ? { ok: false, details } : { ok: true, value };
}
