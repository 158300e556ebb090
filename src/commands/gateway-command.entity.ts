import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { OrgOwnedEntity } from '../database/org-owned.entity';
import { Gateway } from '../gateways/gateway.entity';
import type { CommandError, CommandParams, CommandStatus, CommandType } from './command-rules';

/**
 * One command for one gateway (v1.3) and its whole life: queued until the instance holding the
 * gateway's socket claims and sends it, then acknowledged and finished by the gateway's frames,
 * or ended by the sweep (expired, timed out) or a cancel. The row is the truth across
 * instances; each end state is an event (the GatewayCommands migration's trigger).
 */
@Entity({ name: 'gateway_commands' })
@Index('IDX_gateway_commands_gateway_position', ['gatewayId', 'position'])
@Index('IDX_gateway_commands_unfinished', ['gatewayId'], { where: `"status" IN ('queued', 'sent', 'accepted')` })
@Index('IDX_gateway_commands_queued_expiry', ['expiresAt'], { where: `"status" = 'queued'` })
@Index('IDX_gateway_commands_running_deadline', ['deadlineAt'], { where: `"status" IN ('sent', 'accepted')` })
@Index('IDX_gateway_commands_completed', ['completedAt'], { where: `"completed_at" IS NOT NULL` })
@Index('UQ_gateway_commands_idempotency_key', ['orgId', 'idempotencyKey'], { unique: true, where: `"idempotency_key" IS NOT NULL` })
@Check(
  'CHK_gateway_commands_status',
  `"status" IN ('queued', 'sent', 'accepted', 'succeeded', 'failed', 'rejected', 'expired', 'canceled', 'timed_out')`,
)
export class GatewayCommand extends OrgOwnedEntity {
  /** Order of a gateway's command list (the `after` cursor). */
  @Column({ name: 'position', type: 'bigint', default: () => "nextval('gateway_commands_position')" })
  position: string;

  @Column({ name: 'gateway_id', type: 'uuid' })
  gatewayId: string;

  @ManyToOne(() => Gateway, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'gateway_id' })
  gateway?: Gateway;

  @Column({ name: 'type', type: 'varchar', length: 32 })
  type: CommandType;

  @Column({ name: 'params', type: 'jsonb' })
  params: CommandParams;

  @Column({ name: 'status', type: 'varchar', length: 16, default: 'queued' })
  status: CommandStatus;

  /** How many times it was sent (a resend after a reconnect adds one). */
  @Column({ name: 'attempt', type: 'int', default: 0 })
  attempt: number;

  /** Execution clock: from `sent_at`. */
  @Column({ name: 'timeout_s', type: 'int' })
  timeoutS: number;

  /** Delivery clock: a command not sent by then expires. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** `sent_at + timeout_s`: no result by then is `timed_out`. */
  @Column({ name: 'deadline_at', type: 'timestamptz', nullable: true })
  deadlineAt: Date | null;

  /** The gateway's boot id when it was first sent: a `gateway.reboot` succeeds on another one. */
  @Column({ name: 'sent_boot_id', type: 'uuid', nullable: true })
  sentBootId: string | null;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ name: 'result', type: 'jsonb', nullable: true })
  result: Record<string, unknown> | null;

  @Column({ name: 'error', type: 'jsonb', nullable: true })
  error: CommandError | null;

  /** The first result that came after `timed_out` (the status stays). */
  @Column({ name: 'late_result', type: 'jsonb', nullable: true })
  lateResult: Record<string, unknown> | null;

  /** `{key_id, key_name}` of the key that created it. */
  @Column({ name: 'actor', type: 'jsonb' })
  actor: { key_id: string; key_name: string | null };

  /** `Idempotency-Key` of the request that created it; cleared 24 h later, when it may be used again. */
  @Column({ name: 'idempotency_key', type: 'varchar', length: 64, nullable: true })
  idempotencyKey: string | null;

  /** sha256 of what the request asked for: the same key with another body is 409. */
  @Column({ name: 'request_hash', type: 'char', length: 64, nullable: true })
  requestHash: string | null;
}
