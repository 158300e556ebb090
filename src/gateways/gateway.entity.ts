import { Check, Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { OrgOwnedEntity } from '../database/org-owned.entity';
import { Site } from '../sites/site.entity';

export const GATEWAY_STATUSES = ['registered', 'online', 'offline', 'disabled'] as const;
export type GatewayStatus = (typeof GATEWAY_STATUSES)[number];

/** An on-prem gateway box. Created by generate-pairing-code, keyed by pair. */
@Entity({ name: 'gateways' })
@Index('IDX_gateways_org_site', ['orgId', 'siteId'])
@Check('CHK_gateways_status', `"status" IN ('registered', 'online', 'offline', 'disabled')`)
@Index('IDX_gateways_org_created', ['orgId', 'createdAt', 'id'])
@Index('IDX_gateways_online', ['id'], { where: `"status" = 'online'` })
export class Gateway extends OrgOwnedEntity {
  @Column({ name: 'site_id', type: 'uuid' })
  siteId: string;

  @ManyToOne(() => Site, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'site_id' })
  site?: Site;

  @Column({ name: 'name', type: 'varchar', length: 100, nullable: true })
  name: string | null;

  @Column({ name: 'status', type: 'varchar', length: 16, default: 'registered' })
  status: GatewayStatus;

  @Column({ name: 'version', type: 'varchar', length: 100, nullable: true })
  version: string | null;

  @Column({ name: 'local_ip', type: 'varchar', length: 64, nullable: true })
  localIp: string | null;

  /**
   * Sequence number of the gateway's newest WebSocket connection (from gateway_connection_seq):
   * of two connections the higher number wins, on whichever instances they live.
   */
  @Column({ name: 'connection_seq', type: 'bigint', nullable: true })
  connectionSeq: string | null;

  /** The instance (service_instances.id) that holds that newest connection. */
  @Column({ name: 'connection_instance', type: 'uuid', nullable: true })
  connectionInstance: string | null;

  /** The key (gateway_keys.id) that newest connection authenticated with: it ends when that key stops being usable. */
  @Column({ name: 'connection_key_id', type: 'uuid', nullable: true })
  connectionKeyId: string | null;

  @Column({ name: 'paired_at', type: 'timestamptz', nullable: true })
  pairedAt: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
