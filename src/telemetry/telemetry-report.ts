import type { NetworkThroughput, RecordingStatus } from '../gateways/gateway-telemetry.entity';

/** More cameras than any gateway records; bounds the work one frame can cause. */
export const MAX_CAMERAS_PER_FRAME = 1024;

/** What a telemetry frame reports, validated (gateway-link/frames.ts); every field optional. */
export interface TelemetryReport {
  cpu_percent?: number;
  memory_mb?: number;
  camera_recording_status?: Record<string, RecordingStatus>;
  network_throughput?: NetworkThroughput;
}

/** At most this many capabilities in one session frame. */
export const MAX_CAPABILITIES = 32;

export type { SessionReport } from '../gateways/gateway-telemetry.entity';
