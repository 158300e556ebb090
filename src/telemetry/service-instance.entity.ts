import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per running (or recently running) instance of the service: how far its writes of
 * gateway frames have got. The liveness sweep reads it to tell a silent gateway from one whose
 * frames are still buffered on an instance that could not reach the database (see
 * LivenessService). Written by every flush; rows of instances gone for long are pruned.
 */
@Entity({ name: 'service_instances' })
export class ServiceInstance {
  @PrimaryColumn({ name: 'id', type: 'uuid' })
  id: string;

  @Column({ name: 'started_at', type: 'timestamptz', default: () => 'now()' })
  startedAt: Date;

  /** Every frame this instance received before this time (database clock) is written. */
  @Column({ name: 'flushed_through', type: 'timestamptz' })
  flushedThrough: Date;

  /** Since when its flushes have succeeded without a break: it could reach the database all along. */
  @Column({ name: 'available_since', type: 'timestamptz' })
  availableSince: Date;
}
