import type { ErrorDetail } from '../common/api-error';
import { isUuid } from '../common/uuid';
import type { NetworkThroughput, RecordingStatus } from '../gateways/gateway-telemetry.entity';
import { MAX_CAMERAS_PER_FRAME, TelemetryReport } from '../telemetry/telemetry-report';

const RECORDING_STATUSES: readonly RecordingStatus[] = ['recording', 'idle', 'error'];

export type Validated<T> = { ok: true; value: T } | { ok: false; details: ErrorDetail[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A heartbeat carries nothing: `{}` (or no data at all). */
export function validateHeartbeat(data: unknown): Validated<Record<string, never>> {
  if (data === undefined || (isObject(data) && Object.keys(data).length === 0)) return { ok: true, value: {} };
  return { ok: false, details: [{ field: 'data', message: 'heartbeat data must be an empty object' }] };
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
