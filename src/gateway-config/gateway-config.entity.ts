import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Gateway } from '../gateways/gateway.entity';
import type { ConfigDocument } from './config-document';

/**
 * One gateway's configuration (v1.3): what operators want (`desired`, with its version) and what
 * the gateway last reported (`reported`, the version it applied or rejected). Made on the first
 * write or report; a gateway without a row has an empty desired document at version 0. Each
 * change of a version is an event (the GatewayConfigs migration's trigger).
 */
@Entity({ name: 'gateway_configs' })
export class GatewayConfig {
  @PrimaryColumn({ name: 'gateway_id', type: 'uuid' })
  gatewayId: string;

  @OneToOne(() => Gateway, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'gateway_id' })
  gateway?: Gateway;

  @Column({ name: 'desired', type: 'jsonb', default: () => "'{}'" })
  desired: ConfigDocument;

  @Column({ name: 'desired_version', type: 'bigint', default: 0 })
  desiredVersion: string;

  /** The document the gateway reported with its last applied (or rejected) version. */
  @Column({ name: 'reported', type: 'jsonb', nullable: true })
  reported: ConfigDocument | null;

  @Column({ name: 'applied_version', type: 'bigint', nullable: true })
  appliedVersion: string | null;

  /** The version the gateway last rejected, with its errors. */
  @Column({ name: 'rejected_version', type: 'bigint', nullable: true })
  rejectedVersion: string | null;

  @Column({ name: 'report_errors', type: 'jsonb', default: () => "'[]'" })
  reportErrors: { path: string; message: string }[];

  @Column({ name: 'reported_at', type: 'timestamptz', nullable: true })
  reportedAt: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
