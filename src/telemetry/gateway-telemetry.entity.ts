import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Gateway } from '../gateways/gateway.entity';

export type RecordingStatus = 'recording' | 'idle' | 'error';

export interface NetworkThroughput {
  upstream_mbps?: number;
  downstream_mbps?: number;
}

/** The latest telemetry snapshot of a gateway: one row per gateway, overwritten in batches. */
@Entity({ name: 'gateway_telemetry' })
export class GatewayTelemetry {
  @PrimaryColumn({ name: 'gateway_id', type: 'uuid' })
  gatewayId: string;

  @OneToOne(() => Gateway, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'gateway_id' })
  gateway?: Gateway;

  @Column({ name: 'cpu_percent', type: 'double precision', nullable: true })
  cpuPercent: number | null;

  @Column({ name: 'memory_mb', type: 'double precision', nullable: true })
  memoryMb: number | null;

  @Column({ name: 'camera_recording_status', type: 'jsonb', default: () => "'{}'" })
  cameraRecordingStatus: Record<string, RecordingStatus>;

  @Column({ name: 'network_throughput', type: 'jsonb', default: () => "'{}'" })
  networkThroughput: NetworkThroughput;

  @Column({ name: 'reported_at', type: 'timestamptz', nullable: true })
  reportedAt: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
