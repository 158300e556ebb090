import { Injectable, Logger } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { AuthContext, withinKeyScope } from '../auth/auth-context';
import { ApiError } from '../common/api-error';
import { Page } from '../common/pagination.dto';
import { isoUtc } from '../common/time';
import { AppConfig } from '../config/config';
import { SitesService } from '../sites/sites.service';
import {
  CreatedWebhookResponse,
  CreateWebhookDto,
  DeliveryListResponse,
  DeliveryResponse,
  ListDeliveriesQuery,
  ListWebhooksQuery,
  UpdateWebhookDto,
  WebhookResponse,
  WebhookSecretResponse,
} from './dto/webhook.dto';
import { SECRET_PREFIX } from './signature';
import { urlProblem } from './target-guard';
import { DeliveryRow, WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { Webhook } from './webhook.entity';
import { WebhookFields, WebhooksRepository } from './webhooks.repository';

/** For this long after a rotation the previous secret signs too. */
const ROTATION_OVERLAP_MS = 24 * 3600 * 1000;

const newSecret = () => `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;

function toWebhookResponse(w: Webhook): WebhookResponse {
  return {
    id: w.id,
    url: w.url,
    event_types: w.eventTypes,
    site_ids: w.siteIds,
    description: w.description,
    enabled: w.enabled,
    disabled_reason: w.disabledReason,
    created_at: isoUtc(w.createdAt),
    updated_at: isoUtc(w.updatedAt),
  };
}

function toDeliveryResponse({ position: _, ...row }: DeliveryRow): DeliveryResponse {
  return row;
}

/** `["*"]` means every type and cannot be mixed with named ones. */
function checkEventTypes(types: string[]): void {
  if (types.includes('*') && types.length > 1) {
    throw ApiError.validation('event_types is either ["*"] or a list of types', [{ field: 'event_types', message: '"*" cannot be combined with other types' }]);
  }
}

/** Webhook endpoints: their rules (who may manage which, URLs that may be used), secrets, tests and redeliveries. */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger(WebhooksService.name);

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly sites: SitesService,
    private readonly config: AppConfig,
  ) {}

  async create(auth: AuthContext, dto: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    this.checkUrl(dto.url);
    checkEventTypes(dto.event_types);
    const siteIds = await this.checkSites(auth, dto.site_ids ?? null);
    const secret = newSecret();
    const w = await this.webhooks.create({
      orgId: auth.orgId,
      url: dto.url,
      eventTypes: dto.event_types,
      siteIds,
      description: dto.description ?? null,
      enabled: true,
      secret,
    });
    this.logger.log(`org ${auth.orgId}: webhook ${w.id} created (key ${auth.keyId})`);
    return { ...toWebhookResponse(w), secret };
  }

  async list(auth: AuthContext, query: ListWebhooksQuery): Promise<Page<WebhookResponse>> {
    const visible = (await this.webhooks.allOf(auth.orgId)).filter((w) => withinKeyScope(auth, w.siteIds));
    return { data: visible.slice(query.offset, query.offset + query.limit).map(toWebhookResponse), total: visible.length };
  }

  async get(auth: AuthContext, id: string): Promise<WebhookResponse> {
    return toWebhookResponse(await this.findVisible(auth, id));
  }

  async update(auth: AuthContext, id: string, dto: UpdateWebhookDto): Promise<WebhookResponse> {
    if (Object.values(dto).every((v) => v === undefined)) {
      throw ApiError.validation('No valid fields to update: send url, event_types, site_ids, description or enabled', [
        { field: 'body', message: 'at least one of url, event_types, site_ids, description, enabled is required' },
      ]);
    }
    const w = await this.findVisible(auth, id);
    const changes: Partial<WebhookFields> = {};
    if (dto.url !== undefined) {
      this.checkUrl(dto.url);
      changes.url = dto.url;
    }
    if (dto.event_types !== undefined) {
      checkEventTypes(dto.event_types);
      changes.eventTypes = dto.event_types;
    }
    if (dto.site_ids !== undefined) changes.siteIds = await this.checkSites(auth, dto.site_ids);
    if (dto.description !== undefined) changes.description = dto.description;
    if (dto.enabled !== undefined) changes.enabled = dto.enabled;
    await this.webhooks.update(w.id, changes);
    return toWebhookResponse((await this.webhooks.findInOrg(w.id, auth.orgId))!);
  }

  async delete(auth: AuthContext, id: string): Promise<void> {
    const w = await this.findVisible(auth, id);
    await this.webhooks.delete(w.id);
    this.logger.log(`org ${auth.orgId}: webhook ${w.id} deleted (key ${auth.keyId})`);
  }

  /** A new secret; the current one keeps signing beside it for 24 h, so receivers can switch without losing a delivery. */
  async rotateSecret(auth: AuthContext, id: string): Promise<WebhookSecretResponse> {
    const w = await this.findVisible(auth, id);
    const secret = newSecret();
    const until = new Date(Date.now() + ROTATION_OVERLAP_MS);
    await this.webhooks.rotate(w.id, secret, w.secret, until);
    this.logger.log(`org ${auth.orgId}: webhook ${w.id} secret rotated (key ${auth.keyId})`);
    return { secret, previous_secret_expires_at: isoUtc(until) };
  }

  /** A `webhook.test` event to this endpoint only, signed and retried like any other. */
  async test(auth: AuthContext, id: string): Promise<DeliveryResponse> {
    const w = await this.findVisible(auth, id);
    const eventId = randomUUID();
    const body = JSON.stringify({ id: eventId, type: 'webhook.test', occurred_at: isoUtc(new Date()), org_id: auth.orgId, data: { webhook_id: w.id } });
    return toDeliveryResponse(await this.deliveries.enqueue(w.id, auth.orgId, eventId, 'webhook.test', body));
  }

  async listDeliveries(auth: AuthContext, id: string, query: ListDeliveriesQuery): Promise<DeliveryListResponse> {
    const w = await this.findVisible(auth, id);
    const after = query.after ?? '0';
    const rows = await this.deliveries.list(w.id, query.status ?? null, after, query.limit);
    return { data: rows.map(toDeliveryResponse), next_cursor: rows.length > 0 ? rows[rows.length - 1].position : after };
  }

  /** The same event (same id and body) again, as a new first attempt. */
  async redeliver(auth: AuthContext, id: string, deliveryId: string): Promise<DeliveryResponse> {
    const w = await this.findVisible(auth, id);
    const sent = await this.deliveries.findInWebhook(deliveryId, w.id);
    if (!sent) throw ApiError.notFound('Delivery');
    return toDeliveryResponse(await this.deliveries.enqueue(w.id, auth.orgId, sent.event_id, sent.event_type, sent.body));
  }

  private checkUrl(url: string): void {
    const problem = urlProblem(url, { http: this.config.webhookAllowHttp, privateTargets: this.config.webhookAllowPrivateTargets });
    if (problem) throw ApiError.validation(`url ${problem}`, [{ field: 'url', message: problem }]);
  }

  /** Sites of the org (400 otherwise) within the caller's (403); a site-scoped key must name some. */
  private async checkSites(auth: AuthContext, siteIds: string[] | null): Promise<string[] | null> {
    if (siteIds === null) {
      if (auth.siteIds !== null) throw ApiError.forbidden('A site-scoped key can only create webhooks limited to its own sites: send site_ids');
      return null;
    }
    await this.sites.requireWritableSites(auth, siteIds, 'site_ids');
    return siteIds;
  }

  private async findVisible(auth: AuthContext, id: string): Promise<Webhook> {
    const w = await this.webhooks.findInOrg(id, auth.orgId);
    if (!w || !withinKeyScope(auth, w.siteIds)) throw ApiError.notFound('Webhook');
    return w;
  }
}
