import { Injectable } from '@nestjs/common';
import type { AuthContext } from '../auth/auth-context';
import { CamerasService } from '../cameras/cameras.service';
import { ApiError } from '../common/api-error';
import { isoUtc } from '../common/time';
import { AppConfig } from '../config/config';
import { GatewaysService } from '../gateways/gateways.service';
import { availability, GatewayState, recordingCoverage, RecordingState, StatePoint } from './availability';
import { AvailabilityResponse, MAX_LISTED, RecordingCoverageResponse, TimeRangeQuery } from './dto/event.dto';
import { EventLogRepository, PointRow } from './event-log.repository';

const DAY_S = 86_400;

const STATE_OF: Record<string, GatewayState> = {
  'gateway.registered': 'registered',
  'gateway.paired': 'offline',
  'gateway.online': 'online',
  'gateway.offline': 'offline',
  'gateway.disabled': 'disabled',
  'gateway.enabled': 'offline',
  'gateway.deleted': 'deleted',
};

const toStatePoint = (row: PointRow): StatePoint => ({ at: row.at, state: STATE_OF[row.type], reason: row.reason, plannedUntil: row.planned_until ?? null });
const time = (s: number) => isoUtc(new Date(s * 1000));
const timeOrNull = (s: number | null) => (s === null ? null : time(s));
const wholeSeconds = (text: string) => Math.floor(new Date(text).getTime() / 1000);

/** Availability of gateways and recording coverage of cameras, computed from the event log. */
@Injectable()
export class AvailabilityService {
  constructor(
    private readonly events: EventLogRepository,
    private readonly gateways: GatewaysService,
    private readonly cameras: CamerasService,
    private readonly config: AppConfig,
  ) {}

  async availability(auth: AuthContext, gatewayId: string, query: TimeRangeQuery): Promise<AvailabilityResponse> {
    const { from, to } = this.range(query);
    await this.gateways.get(auth, gatewayId); // 404 for a gateway the caller cannot see
    const points = await this.events.gatewayPoints([gatewayId], new Date(from * 1000), new Date(to * 1000));
    const a = availability(points.map(toStatePoint), from, to);
    return {
      from: time(from),
      to: time(to),
      online_seconds: a.online_seconds,
      offline_seconds: a.offline_seconds,
      planned_seconds: a.planned_seconds,
      disabled_seconds: a.disabled_seconds,
      uptime_percent: a.uptime_percent,
      outages: a.outages.slice(0, MAX_LISTED).map((o) => ({ started_at: time(o.started_at), ended_at: timeOrNull(o.ended_at), duration_seconds: o.duration_seconds, reason: o.reason })),
    };
  }

  async recordingCoverage(auth: AuthContext, cameraId: string, query: TimeRangeQuery): Promise<RecordingCoverageResponse> {
    const { from, to } = this.range(query);
    await this.cameras.get(auth, cameraId); // 404 for a camera the caller cannot see
    const fromDate = new Date(from * 1000);
    const toDate = new Date(to * 1000);
    const reports = await this.events.cameraPoints(cameraId, auth.orgId, fromDate, toDate);
    const gatewayIds = [...new Set(reports.map((r) => r.gateway_id))];
    const states = new Map<string, StatePoint[]>(gatewayIds.map((id) => [id, []]));
    if (gatewayIds.length > 0) {
      for (const row of await this.events.gatewayPoints(gatewayIds, fromDate, toDate)) states.get(row.gateway_id)!.push(toStatePoint(row));
    }
    const camera = reports
      .filter((r) => r.camera_status !== null)
      .map((r) => ({ at: r.at, gatewayId: r.gateway_id, status: r.camera_status as RecordingState }));
    const c = recordingCoverage(camera, states, from, to);
    return {
      from: time(from),
      to: time(to),
      recording_seconds: c.recording_seconds,
      not_recording_seconds: c.not_recording_seconds,
      unknown_seconds: c.unknown_seconds,
      coverage_percent: c.coverage_percent,
      gaps: c.gaps.slice(0, MAX_LISTED).map((g) => ({ started_at: time(g.started_at), ended_at: timeOrNull(g.ended_at), status: g.status })),
    };
  }

  /** Whole seconds; `to` at most now, `from` by default a day before `to` and never before the retention. */
  private range(query: TimeRangeQuery): { from: number; to: number } {
    const now = Math.floor(Date.now() / 1000);
    const to = query.to === undefined ? now : Math.min(wholeSeconds(query.to), now);
    const from = query.from === undefined ? to - DAY_S : wholeSeconds(query.from);
    if (from >= to) {
      throw ApiError.validation('from must be before to (and before now)', [{ field: 'from', message: `must be before ${time(to)}` }]);
    }
    const oldest = now - this.config.EVENTS_RETENTION_DAYS * DAY_S;
    if (from < oldest) {
      throw ApiError.validation(`from must be within the last ${this.config.EVENTS_RETENTION_DAYS} days: older events are purged`, [
        { field: 'from', message: `must be at or after ${time(oldest)}` },
      ]);
    }
    return { from, to };
  }
}
