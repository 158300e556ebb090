import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One immutable event of a gateway (or of a camera it reports), written by triggers in the same
 * transaction as the change it records, whatever made it (see the GatewayEvents migration).
 *
 * `seq` is the position in the event log: null until the sequencer (EventLogService) numbers the
 * committed events in the order it finds them, so the cursor of GET /api/v1/events never passes
 * an event that commits later with a lower number. `written` orders events of one run of the
 * sequencer: it is drawn when the row is inserted, so two changes of one gateway (serialized by
 * its row lock) keep their order.
 */
@Entity({ name: 'gateway_events' })
@Index('UQ_gateway_events_seq', ['seq'], { unique: true })
@Index('IDX_gateway_events_org_seq', ['orgId', 'seq'])
@Index('IDX_gateway_events_gateway_seq', ['gatewayId', 'seq'])
@Index('IDX_gateway_events_camera_seq', ['cameraId', 'seq'], { where: '"camera_id" IS NOT NULL' })
@Index('IDX_gateway_events_unsequenced', ['written'], { where: '"seq" IS NULL' })
@Index('IDX_gateway_events_occurred_at', ['occurredAt'])
export class GatewayEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'seq', type: 'bigint', nullable: true })
  seq: string | null;

  @Column({ name: 'written', type: 'bigint', default: () => "nextval('gateway_events_write_order')" })
  written: string;

  @Column({ name: 'type', type: 'varchar', length: 64 })
  type: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;

  /** No foreign key (see the GatewayEvents migration): a trigger deletes an org's events with it. */
  @Column({ name: 'org_id', type: 'uuid' })
  orgId: string;

  /** The gateway's site when the event happened (no foreign key: events outlive sites and gateways). */
  @Column({ name: 'site_id', type: 'uuid' })
  siteId: string;

  @Column({ name: 'gateway_id', type: 'uuid' })
  gatewayId: string;

  /** Set on camera events. */
  @Column({ name: 'camera_id', type: 'uuid', nullable: true })
  cameraId: string | null;

  @Column({ name: 'data', type: 'jsonb', default: () => "'{}'" })
  data: Record<string, unknown>;
}
