import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { GenerateSql, SAMPLE_UUID } from '../database/sql-snapshot';
import { Webhook } from './webhook.entity';

export type WebhookFields = Pick<Webhook, 'url' | 'eventTypes' | 'siteIds' | 'description' | 'enabled'>;

const SAMPLE_SECRET = 'whsec_c2FtcGxlIHNlY3JldCBvZiAzMiBieXRlcyEhISE=';

/** The webhooks table. */
@Injectable()
export class WebhooksRepository {
  constructor(@InjectRepository(Webhook) private readonly webhooks: Repository<Webhook>) {}

  @GenerateSql([{ orgId: SAMPLE_UUID, url: 'https://example.com/hooks', eventTypes: ['*'], siteIds: null, description: null, enabled: true, secret: SAMPLE_SECRET }])
  create(fields: WebhookFields & Pick<Webhook, 'orgId' | 'secret'>): Promise<Webhook> {
    return this.webhooks.save(this.webhooks.create(fields));
  }

  /** Every webhook of the org (a scoped admin's view is filtered from these). */
  @GenerateSql([SAMPLE_UUID])
  allOf(orgId: string): Promise<Webhook[]> {
    return this.webhooks.find({ where: { orgId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  @GenerateSql([SAMPLE_UUID, SAMPLE_UUID])
  findInOrg(id: string, orgId: string): Promise<Webhook | null> {
    return this.webhooks.findOne({ where: { id, orgId } });
  }

  /** Re-enabling clears why it was disabled and its failure streak. */
  @GenerateSql([SAMPLE_UUID, { url: 'https://example.com/hooks', enabled: true }])
  async update(id: string, changes: Partial<WebhookFields>): Promise<void> {
    const extra = changes.enabled === true ? { disabledReason: null, failingSince: null } : {};
    await this.webhooks.update({ id }, { ...changes, ...extra });
  }

  /** The new secret signs from now on; the one it replaces signs too until `previousUntil`. */
  @GenerateSql([SAMPLE_UUID, SAMPLE_SECRET, SAMPLE_SECRET, new Date('2026-04-22T14:00:00Z')])
  async rotate(id: string, secret: string, previous: string, previousUntil: Date): Promise<void> {
    await this.webhooks.update({ id }, { secret, previousSecret: previous, previousSecretExpiresAt: previousUntil });
  }

  @GenerateSql([SAMPLE_UUID])
  async delete(id: string): Promise<void> {
    await this.webhooks.delete({ id });
  }
}
