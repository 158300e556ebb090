import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Gateway } from '../gateways/gateway.entity';

export type RecordingStatus = 'recording' | 'idle' | 'error';

export interface NetworkThroughput {
  upstream_mbps?: number;
  downstream_mbps?: number;
}

/** What a `session` frame declares (v1.3), validated (gateway-link/frames.ts). */
export interface SessionReport {
  boot_id: string;
  firmware?: string;
  capabilities: string[];
  config_version?: number;
}

/**
 * The live state of a gateway — its last heartbeat and latest telemetry — one row per gateway,
 * overwritten in batches. Kept apart from `gateways` so that the frequent writes touch a narrow
 * row with no secondary index (HOT updates), and the gateway row only changes with its status.
 */
@Entity({ name: 'gateway_telemetry' })
export class GatewayTelemetry {
  @PrimaryColumn({ name: 'gateway_id', type: 'uuid' })
  gatewayId: string;

  @OneToOne(() => Gateway, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'gateway_id' })
  gateway?: Gateway;

  @Column({ name: 'last_heartbeat_at', type: 'timestamptz', nullable: true })
  lastHeartbeatAt: Date | null;

  @Column({ name: 'cpu_percent', type: 'double precision', nullable: true })
  cpuPercent: number | null;

  @Column({ name: 'memory_mb', type: 'double precision', nullable: true })
  memoryMb: number | null;

  @Column({ name: 'camera_recording_status', type: 'jsonb', default: () => "'{}'" })
  cameraRecordingStatus: Record<string, RecordingStatus>;

  @Column({ name: 'network_throughput', type: 'jsonb', default: () => "'{}'" })
  networkThroughput: NetworkThroughput;

  /** The connection whose frames wrote this row: an older connection's frames never overwrite a newer one's. */
  @Column({ name: 'connection_seq', type: 'bigint', nullable: true })
  connectionSeq: string | null;

  @Column({ name: 'reported_at', type: 'timestamptz', nullable: true })
  reportedAt: Date | null;

  /** The last `session` frame (v1.3; all null for a gateway that never sent one). */
  @Column({ name: 'boot_id', type: 'uuid', nullable: true })
  bootId: string | null;

  @Column({ name: 'firmware', type: 'varchar', length: 128, nullable: true })
  firmware: string | null;

  /** What the gateway declared it supports (`commands.v1`, `config.v1`, `credentials.v1`, ...). */
  @Column({ name: 'capabilities', type: 'text', array: true, nullable: true })
  capabilities: string[] | null;

  @Column({ name: 'config_version', type: 'bigint', nullable: true })
  configVersion: string | null;

  @Column({ name: 'session_at', type: 'timestamptz', nullable: true })
  sessionAt: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
