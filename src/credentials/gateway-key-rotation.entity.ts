import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { OrgOwnedEntity } from '../database/org-owned.entity';
import type { ChangeContext } from '../database/change-context';
import { Gateway } from '../gateways/gateway.entity';

/**
 * `pending` until a key is sent, `sent` with the key of its last sending, `acknowledged` once the
 * gateway said it stored that key, `completed` at the first connection with the new key,
 * `canceled` when the gateway's keys were revoked or it was paired again first.
 */
export type RotationStatus = 'pending' | 'sent' | 'acknowledged' | 'completed' | 'canceled';
export const UNFINISHED_ROTATION: readonly RotationStatus[] = ['pending', 'sent', 'acknowledged'];

/** One key rotation of one gateway (v1.3). At most one is unfinished per gateway. */
@Entity({ name: 'gateway_key_rotations' })
@Index('UQ_gateway_key_rotations_unfinished', ['gatewayId'], { unique: true, where: `"status" IN ('pending', 'sent', 'acknowledged')` })
@Check('CHK_gateway_key_rotations_status', `"status" IN ('pending', 'sent', 'acknowledged', 'completed', 'canceled')`)
export class GatewayKeyRotation extends OrgOwnedEntity {
  @Column({ name: 'gateway_id', type: 'uuid' })
  gatewayId: string;

  @ManyToOne(() => Gateway, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'gateway_id' })
  gateway?: Gateway;

  @Column({ name: 'status', type: 'varchar', length: 16, default: 'pending' })
  status: RotationStatus;

  /** How long the key before it stays usable once the new one is used. */
  @Column({ name: 'grace_s', type: 'int' })
  graceS: number;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** The connection the last key was sent on: only its acknowledgement counts. */
  @Column({ name: 'sent_seq', type: 'bigint', nullable: true })
  sentSeq: string | null;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  /** Who asked for it (the `actor` of its events). */
  @Column({ name: 'actor', type: 'jsonb' })
  actor: ChangeContext['actor'];
}
