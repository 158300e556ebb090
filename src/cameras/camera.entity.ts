import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Gateway } from '../gateways/gateway.entity';
import { Org } from '../orgs/org.entity';
import { Site } from '../sites/site.entity';

/** A camera of a site, optionally bound to the gateway that records it. */
@Entity({ name: 'cameras' })
@Index('IDX_cameras_org_site', ['orgId', 'siteId'])
@Index('IDX_cameras_gateway', ['gatewayId'])
export class Camera {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'org_id', type: 'uuid' })
  orgId: string;

  @ManyToOne(() => Org, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id' })
  org?: Org;

  @Column({ name: 'site_id', type: 'uuid' })
  siteId: string;

  @ManyToOne(() => Site, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'site_id' })
  site?: Site;

  /** A gateway with bound cameras cannot be deleted (RESTRICT), as the API page says. */
  @Column({ name: 'gateway_id', type: 'uuid', nullable: true })
  gatewayId: string | null;

  @ManyToOne(() => Gateway, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'gateway_id' })
  gateway?: Gateway;

  @Column({ name: 'name', type: 'varchar', length: 100 })
  name: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
