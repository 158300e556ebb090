import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Gateway } from '../gateways/gateway.entity';
import { OrgOwnedEntity } from '../database/org-owned.entity';
import { Site } from '../sites/site.entity';

/** A camera of a site, optionally bound to the gateway that records it. */
@Entity({ name: 'cameras' })
@Index('IDX_cameras_org_site', ['orgId', 'siteId'])
@Index('IDX_cameras_gateway', ['gatewayId'])
export class Camera extends OrgOwnedEntity {
  @Column({ name: 'site_id', type: 'uuid' })
  siteId: string;

  @ManyToOne(() => Site, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'site_id' })
  site?: Site;

  /** A gateway with bound cameras cannot be deleted (RESTRICT), as the Gateway API says of DELETE /api/v1/gateways/{id}. */
  @Column({ name: 'gateway_id', type: 'uuid', nullable: true })
  gatewayId: string | null;

  @ManyToOne(() => Gateway, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'gateway_id' })
  gateway?: Gateway;

  @Column({ name: 'name', type: 'varchar', length: 100 })
  name: string;
}
