import { Column, Entity, Index, UpdateDateColumn } from 'typeorm';
import { OrgOwnedEntity } from '../database/org-owned.entity';

/**
 * An endpoint that receives the org's events. The signing secret is kept as issued: an HMAC
 * key cannot be stored hashed (signing needs it), so it is never logged and never shown again
 * after create and rotate. For 24 h after a rotation the previous secret signs too.
 */
@Entity({ name: 'webhooks' })
@Index('IDX_webhooks_org', ['orgId'])
export class Webhook extends OrgOwnedEntity {
  @Column({ name: 'url', type: 'varchar', length: 2048 })
  url: string;

  /** `*` for every type. */
  @Column({ name: 'event_types', type: 'varchar', length: 64, array: true })
  eventTypes: string[];

  /** null: every site of the org. */
  @Column({ name: 'site_ids', type: 'uuid', array: true, nullable: true })
  siteIds: string[] | null;

  @Column({ name: 'description', type: 'varchar', length: 500, nullable: true })
  description: string | null;

  @Column({ name: 'enabled', type: 'boolean', default: true })
  enabled: boolean;

  /** Why the service disabled it (`gone`: the receiver answered 410; `failing`: every delivery failed for WEBHOOK_DISABLE_AFTER_DAYS). */
  @Column({ name: 'disabled_reason', type: 'varchar', length: 32, nullable: true })
  disabledReason: string | null;

  @Column({ name: 'secret', type: 'varchar', length: 100 })
  secret: string;

  @Column({ name: 'previous_secret', type: 'varchar', length: 100, nullable: true })
  previousSecret: string | null;

  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', nullable: true })
  previousSecretExpiresAt: Date | null;

  /** The first failed attempt since the last success. */
  @Column({ name: 'failing_since', type: 'timestamptz', nullable: true })
  failingSince: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
