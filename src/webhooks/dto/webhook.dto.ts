import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { TIMESTAMP, UUID } from '../../common/api-docs';
import { IsSiteIdList, SITE_IDS } from '../../common/site-ids.decorator';
import { IsOmittable } from '../../common/omittable.decorator';
import { IsPageLimit, PaginationQuery, TOTAL } from '../../common/pagination.dto';
import { CURSOR, IsCursor } from '../../events/dto/event.dto';
import { EVENT_TYPES } from '../../events/event-log.repository';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../webhook-delivery.entity';

export const WEBHOOK_EVENT_TYPES = ['*', ...EVENT_TYPES] as const;

const URL_DOC = { type: 'string', format: 'uri', maxLength: 2048, example: 'https://hooks.example.com/novavms' } as const;
const EVENT_TYPES_DOC: ApiPropertyOptions = {
  type: 'array',
  items: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES] },
  minItems: 1,
  maxItems: WEBHOOK_EVENT_TYPES.length,
  uniqueItems: true,
  example: ['gateway.offline', 'gateway.online'],
  description: 'The event types to deliver; `["*"]` for all',
};
const SITE_IDS_DOC = { ...SITE_IDS, description: 'Only events of these sites are delivered; null for every site of the org' };
const DESCRIPTION_DOC = { type: 'string', maxLength: 500, pattern: '\\S', nullable: true, example: 'NOC pager' } as const;

/** `url`: required on create, omittable (never null) on update. */
function IsWebhookUrl(required: boolean): PropertyDecorator {
  return applyDecorators(required ? ApiProperty(URL_DOC) : ApiPropertyOptional(URL_DOC), ...(required ? [] : [IsOmittable()]), IsString(), MaxLength(2048));
}

function IsEventTypes(required: boolean): PropertyDecorator {
  return applyDecorators(
    required ? ApiProperty(EVENT_TYPES_DOC) : ApiPropertyOptional(EVENT_TYPES_DOC),
    ...(required ? [] : [IsOmittable()]),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(WEBHOOK_EVENT_TYPES.length),
    ArrayUnique(),
    IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: `event_types must name ${WEBHOOK_EVENT_TYPES.join(', ')}` }),
  );
}

function IsDescription(): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional(DESCRIPTION_DOC), IsOptional(), IsString(), MaxLength(500), Matches(/\S/, { message: 'description must not be blank' }));
}

export class CreateWebhookDto {
  @IsWebhookUrl(true)
  url: string;

  @IsEventTypes(true)
  event_types: string[];

  @IsSiteIdList('Deliver only events of these sites; omit or null for every site of the org (a site-scoped key must name its own sites)')
  site_ids?: string[] | null;

  @IsDescription()
  description?: string | null;
}

export class UpdateWebhookDto {
  @IsWebhookUrl(false)
  url?: string;

  @IsEventTypes(false)
  event_types?: string[];

  @IsSiteIdList('Deliver only events of these sites; null for every site of the org (a site-scoped key must name its own sites)')
  site_ids?: string[] | null;

  @IsDescription()
  description?: string | null;

  @ApiPropertyOptional({ type: 'boolean', example: true, description: 'false pauses deliveries; true re-enables an endpoint the service disabled' })
  @IsOmittable()
  @IsBoolean()
  enabled?: boolean;
}

export class ListWebhooksQuery extends PaginationQuery {}

export class WebhookResponse {
  @ApiProperty(UUID) id: string;
  @ApiProperty(URL_DOC) url: string;
  @ApiProperty(EVENT_TYPES_DOC) event_types: string[];
  @ApiProperty(SITE_IDS_DOC) site_ids: string[] | null;
  @ApiProperty(DESCRIPTION_DOC) description: string | null;
  @ApiProperty({ type: 'boolean', example: true }) enabled: boolean;
  @ApiProperty({
    type: 'string',
    pattern: '^(gone|failing)$',
    maxLength: 7,
    nullable: true,
    example: null,
    description: 'Why the service disabled it: gone (the receiver answered 410), failing (every attempt failed for WEBHOOK_DISABLE_AFTER_DAYS)',
  })
  disabled_reason: string | null;
  @ApiProperty(TIMESTAMP) created_at: string;
  @ApiProperty(TIMESTAMP) updated_at: string;
}

const SECRET_DOC = {
  type: 'string',
  pattern: '^whsec_[A-Za-z0-9+/=]{40,}$',
  maxLength: 100,
  example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  description: 'The signing secret, shown only here: keep it to verify signatures',
} as const;

export class CreatedWebhookResponse extends WebhookResponse {
  @ApiProperty(SECRET_DOC) secret: string;
}

export class WebhookSecretResponse {
  @ApiProperty(SECRET_DOC) secret: string;
  @ApiProperty({ ...TIMESTAMP, description: 'Until then the previous secret signs too' }) previous_secret_expires_at: string;
}

export class WebhookListResponse {
  @ApiProperty({ type: [WebhookResponse], maxItems: 1000 }) data: WebhookResponse[];
  @ApiProperty({ ...TOTAL, example: 1 }) total: number;
}

export class ListDeliveriesQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: 'Only attempts with this status' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @IsCursor()
  after?: string;

  @IsPageLimit('Attempts per page')
  limit: number = 100;
}

export class DeliveryResponse {
  @ApiProperty(UUID) id: string;
  @ApiProperty({ ...UUID, description: 'The event delivered: also its `webhook-id` header' }) event_id: string;
  @ApiProperty({ type: 'string', enum: ['webhook.test', ...EVENT_TYPES], example: 'gateway.offline' }) event_type: string;
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: 100, example: 1 }) attempt: number;
  @ApiProperty({ enum: DELIVERY_STATUSES, example: 'succeeded' }) status: DeliveryStatus;
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 100, maximum: 599, nullable: true, example: 200 }) response_status: number | null;
  @ApiProperty({ type: 'string', maxLength: 1200, pattern: '\\S', nullable: true, example: null, description: 'Why it failed (with up to 1 KiB of the answer)' })
  error: string | null;
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: 3_600_000, nullable: true, example: 38 }) duration_ms: number | null;
  @ApiProperty({ ...TIMESTAMP, type: 'string', nullable: true, example: '2026-04-21T14:20:05Z' }) attempted_at: string | null;
  @ApiProperty({ ...TIMESTAMP, type: 'string', nullable: true, example: null, description: 'Pending: when it is due; failed: when the retry is due, null when there is none' })
  next_attempt_at: string | null;
}

export class DeliveryListResponse {
  @ApiProperty({ type: [DeliveryResponse], maxItems: 1000, description: 'At most `limit` attempts, oldest first' }) data: DeliveryResponse[];
  @ApiProperty({ ...CURSOR, description: 'Pass as `after` to read on' }) next_cursor: string;
}

