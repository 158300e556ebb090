import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, Max, Min } from 'class-validator';
import { TIMESTAMP, UUID } from '../../common/api-docs';
import { IsPageLimit, toInteger } from '../../common/pagination.dto';
import { CURSOR, IsCursor } from '../../events/dto/event.dto';
import { COMMAND_STATUSES, COMMAND_TYPES, type CommandStatus, type CommandType } from '../command-rules';

/** A hand-written schema: @nestjs/swagger's option types do not follow nested inline properties. */
const schema = (doc: object) => doc as ApiPropertyOptions;

/** Every type's params in one schema (which apply depends on `type`): OpenAPI 3.0 has no discriminator on a sibling field. */
const PARAMS_PROPERTIES = {
  camera_id: { type: 'string', format: 'uuid', maxLength: 36, description: 'camera.reboot: a camera bound to this gateway' },
  timeout_s: { type: 'integer', format: 'int32', minimum: 1, maximum: 60, description: 'cameras.discover: seconds to listen (default 10)' },
  host: { type: 'string', maxLength: 253, pattern: '^[A-Za-z0-9.:-]+$', description: 'network.probe: a host name or IP address, as the gateway resolves it' },
  port: { type: 'integer', format: 'int32', minimum: 1, maximum: 65535, description: 'network.probe: the TCP port' },
};
const PARAMS_DOC = schema({
  type: 'object',
  additionalProperties: false,
  properties: PARAMS_PROPERTIES,
  example: { host: '192.168.10.31', port: 554 },
  description:
    'By type: none for `gateway.reboot` and `gateway.restart_service`; `{camera_id}` for `camera.reboot`; `{timeout_s?}` for `cameras.discover`; `{host, port}` for `network.probe`. At most 8 KiB.',
});

const NULLABLE_TEXT = (maxLength: number, description: string) => ({ type: 'string', nullable: true, minLength: 1, maxLength, pattern: '\\S', description });
const RESULT_PROPERTIES = {
  devices: {
    type: 'array',
    maxItems: 256,
    description: 'cameras.discover: what answered on the network',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['address', 'mac', 'manufacturer', 'model', 'onvif_xaddr', 'camera_id'],
      properties: {
        address: { type: 'string', maxLength: 253, pattern: '^[A-Za-z0-9.:-]+$' },
        mac: { type: 'string', nullable: true, maxLength: 17, pattern: '^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$' },
        manufacturer: NULLABLE_TEXT(100, 'As the device reports it'),
        model: NULLABLE_TEXT(100, 'As the device reports it'),
        onvif_xaddr: NULLABLE_TEXT(512, 'Its ONVIF device service address'),
        camera_id: { type: 'string', format: 'uuid', maxLength: 36, nullable: true, description: 'The camera it is, as the gateway matched it' },
      },
    },
  },
  reachable: { type: 'boolean', description: 'network.probe: a TCP connection was made' },
  latency_ms: { type: 'number', nullable: true, minimum: 0, maximum: 3_600_000, description: 'network.probe: how long the connect took' },
  boot_id: { type: 'string', format: 'uuid', maxLength: 36, description: 'gateway.reboot: the boot id it came back with' },
  previous_boot_id: { type: 'string', format: 'uuid', maxLength: 36, description: 'gateway.reboot: the boot id it had when sent the command' },
};

export class CreateCommandDto {
  @ApiProperty({ enum: COMMAND_TYPES, example: 'network.probe' })
  @IsIn(COMMAND_TYPES, { message: `type must be one of ${COMMAND_TYPES.join(', ')}` })
  type: CommandType;

  @ApiPropertyOptional(PARAMS_DOC)
  @IsOptional()
  @IsObject({ message: 'params must be an object' })
  params?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 5, maximum: 3600, default: 60, description: 'Seconds the gateway has to finish, from `sent_at`' })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(3600)
  timeout_s?: number;

  @ApiPropertyOptional({
    type: 'integer',
    format: 'int32',
    minimum: 0,
    maximum: 86400,
    default: 300,
    description: 'Seconds it may wait, queued, for the gateway to connect; 0: only if the gateway is online now (else 409)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86400)
  expires_in_s?: number;
}

export class ListCommandsQuery {
  @ApiPropertyOptional({ enum: COMMAND_STATUSES, description: 'Only commands with this status' })
  @IsOptional()
  @IsIn(COMMAND_STATUSES)
  status?: CommandStatus;

  @IsCursor()
  after?: string;

  @IsPageLimit('Commands per page')
  limit: number = 100;
}

export class GetCommandQuery {
  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 0, maximum: 30, default: 0, description: 'Hold the answer until the command is finished, or this many seconds' })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(30)
  wait_s: number = 0;
}

export class CommandActor {
  @ApiProperty(UUID) key_id: string;
  @ApiProperty({ type: 'string', maxLength: 100, pattern: '\\S', nullable: true, example: 'NOC operator' }) key_name: string | null;
}

/** Inline schemas rather than classes: OpenAPI 3.0 cannot make a referenced schema nullable. */
const ERROR_PROPERTIES = {
  code: { type: 'string', maxLength: 64, pattern: '^[a-z0-9][a-z0-9._-]*$', description: "`rejected`, `expired`, `canceled`, `timed_out`, `invalid_result`, or the gateway's own code" },
  message: { type: 'string', maxLength: 1024, pattern: '\\S' },
};
const ERROR_DOC = schema({
  type: 'object',
  nullable: true,
  additionalProperties: false,
  required: ['code', 'message'],
  selfRequired: true,
  properties: ERROR_PROPERTIES,
  example: null,
  description: 'Why it did not succeed',
});

const NULLABLE_TIME = { ...TIMESTAMP, type: 'string', nullable: true } as const;

export class CommandResponse {
  @ApiProperty(UUID) id: string;
  @ApiProperty(UUID) gateway_id: string;
  @ApiProperty({ enum: COMMAND_TYPES, example: 'network.probe' }) type: CommandType;
  @ApiProperty({ ...PARAMS_DOC, description: 'As validated, with defaults filled in' })
  params: Record<string, unknown>;
  @ApiProperty({ enum: COMMAND_STATUSES, example: 'succeeded' }) status: CommandStatus;
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: 1_000_000, example: 1, description: 'How many times it was sent (a resend after a reconnect adds one)' }) attempt: number;
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 5, maximum: 3600, example: 60 }) timeout_s: number;
  @ApiProperty({ ...TIMESTAMP, type: 'string' }) created_at: string;
  @ApiProperty({ ...TIMESTAMP, type: 'string', description: 'A command not sent by then expires' }) expires_at: string;
  @ApiProperty({ ...NULLABLE_TIME, description: 'When the gateway was first sent it: the `timeout_s` clock starts here' }) sent_at: string | null;
  @ApiProperty(NULLABLE_TIME) accepted_at: string | null;
  @ApiProperty(NULLABLE_TIME) completed_at: string | null;
  @ApiProperty(schema({
    type: 'object',
    additionalProperties: false,
    properties: RESULT_PROPERTIES,
    nullable: true,
    example: { reachable: true, latency_ms: 3.2 },
    description: '`cameras.discover`: `{devices}`; `network.probe`: `{reachable, latency_ms}`; `gateway.reboot`: `{boot_id, previous_boot_id}`; otherwise null',
  }))
  result: Record<string, unknown> | null;
  @ApiProperty(ERROR_DOC) error: { code: string; message: string } | null;
  @ApiProperty(schema({
    type: 'object',
    additionalProperties: false,
    required: ['status', 'result', 'error', 'received_at'],
    selfRequired: true,
    properties: {
      status: { type: 'string', enum: ['succeeded', 'failed'] },
      result: { type: 'object', nullable: true, additionalProperties: false, properties: RESULT_PROPERTIES },
      error: { type: 'object', nullable: true, additionalProperties: false, required: ['code', 'message'], properties: ERROR_PROPERTIES },
      received_at: { type: 'string', format: 'date-time', maxLength: 20 },
    },
    nullable: true,
    example: null,
    description: 'A result that came after `timed_out`: `{status, result, error, received_at}` (the status stays `timed_out`)',
  }))
  late_result: Record<string, unknown> | null;
  @ApiProperty({ type: CommandActor }) actor: CommandActor;
}

export class CommandListResponse {
  @ApiProperty({ type: [CommandResponse], maxItems: 1000, description: 'At most `limit` commands, oldest first' }) data: CommandResponse[];
  @ApiProperty({ ...CURSOR, description: 'Pass as `after` to read on' }) next_cursor: string;
}
