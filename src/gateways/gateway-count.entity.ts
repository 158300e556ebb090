import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Site } from '../sites/site.entity';

/**
 * How many gateways each site of an org holds, kept by triggers on `gateways` (see the
 * GatewayCounts migration) in the same transaction as the insert, delete or move, so it is
 * always exact. The unfiltered gateway list reads its `total` here instead of counting the
 * org's gateways on every request. Never written by the application.
 */
@Entity({ name: 'gateway_counts' })
export class GatewayCount {
  @PrimaryColumn({ name: 'org_id', type: 'uuid' })
  orgId: string;

  @PrimaryColumn({ name: 'site_id', type: 'uuid' })
  siteId: string;

  @ManyToOne('Org', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id' })
  org?: unknown;

  @ManyToOne(() => Site, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'site_id' })
  site?: Site;

  @Column({ name: 'gateways', type: 'integer', default: 0 })
  gateways: number;
}
