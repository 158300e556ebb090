import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsOptional, IsRFC3339, IsUUID, Matches } from 'class-validator';
import { TIMESTAMP, UUID } from '../../common/api-docs';
import { IsPageLimit } from '../../common/pagination.dto';
import { EVENT_TYPES, type EventType } from '../event-log.repository';

/** A cursor: the decimal `seq` of the last event seen (next_cursor of the previous page). */
export const CURSOR = { type: 'string', pattern: '^[0-9]{1,18}$', maxLength: 18, example: '1043' } as const;

/** An instant given in a query: RFC 3339 with a zone (`Z` or an offset); fractions of a second are dropped. */
const QUERY_TIME = { type: 'string', format: 'date-time', maxLength: 35 } as const;

/** `after`: the `next_cursor` of the previous page. */
export function IsCursor(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ ...CURSOR, description: 'The `next_cursor` of the previous page: what comes after it' }),
    IsOptional(),
    Matches(/^[0-9]{1,18}$/, { message: 'after must be a next_cursor returned by this endpoint' }),
  );
}

const splitList = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()) : value);

export class ListEventsQuery {
  @ApiPropertyOptional({
    description: 'Only events of these types (comma-separated)',
    type: 'string',
    maxLength: 400,
    pattern: '^[a-z._]+(,[a-z._]+)*$',
    example: 'gateway.offline,gateway.online',
  })
  @IsOptional()
  @Transform(splitList)
  @ArrayMaxSize(EVENT_TYPES.length)
  @IsIn(EVENT_TYPES, { each: true, message: `type must be one or more of ${EVENT_TYPES.join(', ')}` })
  type?: EventType[];

  @ApiPropertyOptional({ ...UUID, description: 'Only events of this gateway' })
  @IsOptional()
  @IsUUID('all')
  gateway_id?: string;

  @ApiPropertyOptional({ ...UUID, description: 'Only events of this site' })
  @IsOptional()
  @IsUUID('all')
  site_id?: string;

  @ApiPropertyOptional({ ...QUERY_TIME, description: 'Only events that occurred at or after this instant', example: '2026-04-21T00:00:00Z' })
  @IsOptional()
  @IsRFC3339({ message: 'since must be an RFC 3339 date-time such as 2026-04-21T14:20:04Z' })
  since?: string;

  @IsCursor()
  after?: string;

  @IsPageLimit('Events per page')
  limit: number = 100;
}

export class EventActor {
  @ApiProperty({ ...UUID, example: '2d7f4c1e-9b3a-4e5f-8c6d-1a2b3c4d5e6f' }) key_id: string;
  @ApiProperty({ type: String, nullable: true, maxLength: 100, pattern: '\\S', example: 'ops dashboard' }) key_name: string | null;
}

/** What a gateway.updated event says changed: `{from, to}` of each field. */
export class FieldChange {
  @ApiProperty({ type: String, nullable: true, maxLength: 100, pattern: '\\S', example: 'Warehouse A', description: 'A name, or a site id' }) from: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 100, pattern: '\\S', example: 'Warehouse A (Rev 2)' }) to: string | null;
}

export class EventChanges {
  @ApiPropertyOptional({ type: FieldChange }) name?: FieldChange;
  @ApiPropertyOptional({ type: FieldChange, description: 'Site ids' }) site_id?: FieldChange;
}

const REASON = { type: String, maxLength: 64, pattern: '^[a-z_]+$' } as const;
const STATUS_TEXT = { type: String, enum: ['registered', 'online', 'offline', 'disabled'] } as const;
const RECORDING = { type: String, enum: ['recording', 'idle', 'error'] } as const;

export class EventConfigProblem {
  @ApiProperty({ type: String, maxLength: 200, pattern: '\\S', example: 'upstream_cap_mbps' }) path: string;
  @ApiProperty({ type: String, maxLength: 1024, pattern: '\\S', example: 'the uplink is 100 Mbit/s' }) message: string;
}

/** The data of an event: which members appear depends on the type (docs/events.md). */
/** A connection in a credential conflict: who it was. */
export class EventPeer {
  @ApiProperty({ type: String, maxLength: 64, pattern: '\\S', example: '198.51.100.7', description: 'Its client address' }) peer_address: string;
  @ApiProperty({ ...UUID, type: String, nullable: true, example: '3f9a6c2e-1b7d-4e5a-9c8f-2d4b6a8c0e1f', description: 'The boot id of its session; null when it sent none' })
  boot_id: string | null;
}

export class EventData {
  @ApiPropertyOptional({ type: EventActor, description: 'The user key whose request caused the event' }) actor?: EventActor;
  @ApiPropertyOptional({ type: String, pattern: '^(registered|online|offline|disabled)$', maxLength: 10, nullable: true, description: 'Status events and gateway.deleted: the status before (registered, online, offline or disabled)', example: 'online' })
  previous_status?: string | null;
  @ApiPropertyOptional({ ...REASON, description: 'Status events: why (paired, connected, closed_by_gateway, heartbeat_timeout, rebooting, user_request, database_change)', example: 'heartbeat_timeout' })
  reason?: string;
  @ApiPropertyOptional({
    type: String,
    enum: [...STATUS_TEXT.enum, 'succeeded', 'failed', 'rejected', 'expired', 'canceled', 'timed_out'],
    description: 'gateway.registered: the status it was created with; command.*: the status the command ended in',
  })
  status?: string;
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100, pattern: '\\S', description: 'gateway.registered: its name' }) name?: string | null;
  @ApiPropertyOptional({ type: EventChanges, description: 'gateway.updated: what changed' }) changes?: EventChanges;
  @ApiPropertyOptional({ ...UUID, description: 'camera.recording_status_changed: the camera' }) camera_id?: string;
  @ApiPropertyOptional({ type: String, pattern: '^(recording|idle|error)$', maxLength: 9, nullable: true, description: 'camera.recording_status_changed: the status before (recording, idle or error; null on the first report)' })
  from?: string | null;
  @ApiPropertyOptional({ ...RECORDING, description: 'camera.recording_status_changed: the status now' }) to?: string;
  @ApiPropertyOptional({ ...UUID, description: 'gateway.rebooted: the boot id of its new session' }) boot_id?: string;
  @ApiPropertyOptional({ ...UUID, description: 'gateway.rebooted: the boot id of the session before' }) previous_boot_id?: string;
  @ApiPropertyOptional({ type: String, nullable: true, minLength: 1, maxLength: 128, pattern: '\\S', description: 'gateway.rebooted: the firmware its new session declared (null when it declared none)' })
  firmware?: string | null;
  @ApiPropertyOptional({ ...UUID, description: 'command.*: the command; gateway.offline with reason `rebooting`: the gateway.reboot it went offline for' }) command_id?: string;
  @ApiPropertyOptional({ ...TIMESTAMP, type: String, description: 'gateway.offline with reason `rebooting`: the reboot\'s deadline; availability counts the outage as planned up to then' })
  planned_until?: string;
  @ApiPropertyOptional({ type: 'integer', format: 'int64', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'gateway.config_*: the configuration version written, applied or rejected' })
  version?: number;
  @ApiPropertyOptional({
    type: 'array',
    maxItems: 2048,
    items: { type: 'string', maxLength: 200, pattern: '\\S' },
    description: 'gateway.config_changed: the paths of the desired document that changed (`log_level`, `cameras.<id>.fps`)',
  })
  changed_paths?: string[];
  @ApiPropertyOptional({ type: () => [EventConfigProblem], maxItems: 50, description: 'gateway.config_rejected: why, as the gateway said' })
  errors?: EventConfigProblem[];
  @ApiPropertyOptional({
    type: String,
    maxLength: 32,
    pattern: '^[a-z_]+\\.[a-z_]+$',
    example: 'gateway.reboot',
    description: 'command.*: the command type (gateway.reboot, gateway.restart_service, camera.reboot, cameras.discover, network.probe)',
  })
  type?: string;
  @ApiPropertyOptional({ ...UUID, description: 'gateway.key_rotated: the rotation' }) rotation_id?: string;
  @ApiPropertyOptional({ ...UUID, description: 'gateway.key_rotated: the new active key; gateway.retired_key_used: the retiring key used' }) key_id?: string;
  @ApiPropertyOptional({ ...UUID, type: String, nullable: true, description: 'gateway.key_rotated: the key before, now retiring (or revoked with a grace of 0)' }) previous_key_id?: string | null;
  @ApiPropertyOptional({ ...TIMESTAMP, type: String, nullable: true, description: 'gateway.key_rotated, gateway.retired_key_used: when the retiring key stops working (null with a grace of 0)' })
  retiring_until?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 64, pattern: '\\S', description: 'gateway.retired_key_used: the client address of the connection' }) peer_address?: string | null;
  @ApiPropertyOptional({ type: () => [EventPeer], maxItems: 10, description: 'gateway.credential_conflict: the connections that replaced each other' }) peers?: EventPeer[];
  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 3, maximum: 2_147_483_647, description: 'gateway.credential_conflict: replacements between different connections in the 10 minutes before' })
  replacements?: number;
}

export class EventResponse {
  @ApiProperty({ ...UUID, example: '0b8f3e2a-6c1d-4f7e-9a5b-3c2d1e0f9a8b' }) id: string;
  @ApiProperty({
    type: 'integer',
    format: 'int64',
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
    example: 1043,
    description: 'Position in the event log: increases in the order events are listed',
  })
  seq: number;
  @ApiProperty({ enum: EVENT_TYPES, example: 'gateway.offline' }) type: EventType;
  @ApiProperty({ ...TIMESTAMP, example: '2026-04-21T14:20:04Z', description: "When the change was written, on the database's clock" })
  occurred_at: string;
  @ApiProperty({ ...UUID, example: '6c1e8d2f-3a4b-4c5d-9e6f-7a8b9c0d1e2f' }) org_id: string;
  @ApiProperty({ ...UUID, example: 'b5e9f3a1-2c4d-4e6f-8a1b-3c5d7e9f1a2b', description: "The gateway's site when the event occurred" })
  site_id: string;
  @ApiProperty({ ...UUID, example: '8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c' }) gateway_id: string;
  @ApiProperty({
    type: EventData,
    description:
      'By type (docs/events.md): status events carry `previous_status` and `reason`; `gateway.updated` carries `changes`; `camera.recording_status_changed` carries `camera_id`, `from`, `to`; `gateway.rebooted` carries `boot_id`, `previous_boot_id`, `firmware`; `command.*` carries `command_id`, `type`, `status`; `gateway.config_*` carries `version` (and `changed_paths`, or `errors`); `gateway.key_rotated` carries `rotation_id`, `key_id`, `previous_key_id`, `retiring_until`; `gateway.retired_key_used` carries `key_id`, `peer_address`, `retiring_until`; `gateway.credential_conflict` carries `peers`, `replacements`; `actor` when a user request caused the event',
    example: { previous_status: 'online', reason: 'heartbeat_timeout' },
  })
  data: Record<string, unknown>;
}

export class EventListResponse {
  @ApiProperty({ type: [EventResponse], maxItems: 1000, description: 'At most `limit` events, oldest first' }) data: EventResponse[];
  @ApiProperty({
    ...CURSOR,
    description: 'Pass as `after` to read on; it moves past every event this page considered, so polling with it never repeats or skips one',
  })
  next_cursor: string;
}

export class TimeRangeQuery {
  @ApiPropertyOptional({ ...QUERY_TIME, description: 'Start of the range (default: `to` minus 24 hours); at most EVENTS_RETENTION_DAYS ago', example: '2026-04-20T00:00:00Z' })
  @IsOptional()
  @IsRFC3339({ message: 'from must be an RFC 3339 date-time such as 2026-04-20T00:00:00Z' })
  from?: string;

  @ApiPropertyOptional({ ...QUERY_TIME, description: 'End of the range (default and at most: now)', example: '2026-04-21T00:00:00Z' })
  @IsOptional()
  @IsRFC3339({ message: 'to must be an RFC 3339 date-time such as 2026-04-21T00:00:00Z' })
  to?: string;
}

/** Outages and gaps listed in one answer; the seconds figures count every one. */
export const MAX_LISTED = 10_000;

const SECONDS = { type: 'integer', format: 'int64', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const;
const PERCENT = { type: 'number', format: 'double', minimum: 0, maximum: 100, nullable: true } as const;

export class OutageResponse {
  @ApiProperty({ ...TIMESTAMP, example: '2026-04-20T03:12:09Z', description: 'Start of the outage, or `from` when it began before the range' })
  started_at: string;
  @ApiProperty({ ...TIMESTAMP, type: String, nullable: true, example: '2026-04-20T03:19:41Z', description: 'null: not over by `to`' })
  ended_at: string | null;
  @ApiProperty({ ...SECONDS, example: 452, description: 'Seconds of the outage within the range' }) duration_seconds: number;
  @ApiProperty({ ...REASON, nullable: true, example: 'heartbeat_timeout', description: 'The reason of the event that began it' })
  reason: string | null;
}

export class AvailabilityResponse {
  @ApiProperty({ ...TIMESTAMP, example: '2026-04-20T00:00:00Z' }) from: string;
  @ApiProperty({ ...TIMESTAMP, example: '2026-04-21T00:00:00Z' }) to: string;
  @ApiProperty({ ...SECONDS, example: 85948 }) online_seconds: number;
  @ApiProperty({ ...SECONDS, example: 452, description: 'Offline, unplanned' }) offline_seconds: number;
  @ApiProperty({ ...SECONDS, example: 95, description: 'Offline for a gateway.reboot an operator asked for (outages with reason `rebooting`); not counted in uptime_percent' })
  planned_seconds: number;
  @ApiProperty({ ...SECONDS, example: 0 }) disabled_seconds: number;
  @ApiProperty({ ...PERCENT, example: 99.477, description: '100 × online / (online + offline), 3 decimals; null when both are 0 (planned time counts in neither)' })
  uptime_percent: number | null;
  @ApiProperty({ type: [OutageResponse], maxItems: MAX_LISTED, description: 'The offline periods within the range, oldest first (at most 10,000; the seconds count them all)' })
  outages: OutageResponse[];
}

export class CoverageGapResponse {
  @ApiProperty({ ...TIMESTAMP, example: '2026-04-20T03:12:09Z' }) started_at: string;
  @ApiProperty({ ...TIMESTAMP, type: String, nullable: true, example: '2026-04-20T03:19:41Z', description: 'null: not over by `to`' })
  ended_at: string | null;
  @ApiProperty({ enum: ['idle', 'error', 'unknown'], example: 'unknown', description: "unknown: no report yet, or the reporting gateway was not online" })
  status: 'idle' | 'error' | 'unknown';
}

export class RecordingCoverageResponse {
  @ApiProperty({ ...TIMESTAMP, example: '2026-04-20T00:00:00Z' }) from: string;
  @ApiProperty({ ...TIMESTAMP, example: '2026-04-21T00:00:00Z' }) to: string;
  @ApiProperty({ ...SECONDS, example: 85948 }) recording_seconds: number;
  @ApiProperty({ ...SECONDS, example: 0 }) not_recording_seconds: number;
  @ApiProperty({ ...SECONDS, example: 452 }) unknown_seconds: number;
  @ApiProperty({ ...PERCENT, example: 100, description: '100 × recording / (recording + not recording), 3 decimals; null when both are 0' })
  coverage_percent: number | null;
  @ApiProperty({ type: [CoverageGapResponse], maxItems: MAX_LISTED, description: 'The periods within the range when the camera was not known to record, oldest first (at most 10,000; the seconds count them all)' })
  gaps: CoverageGapResponse[];
}
