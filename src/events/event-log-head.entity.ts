import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The one row that holds the highest `seq` given to an event. The sequencer locks it while it
 * numbers events, so two sequencers never run at once, and a reader that sees a number sees every
 * event up to it (both change in one transaction).
 */
@Entity({ name: 'event_log_head' })
@Check('CHK_event_log_head_single_row', '"id" = 1')
export class EventLogHead {
  @PrimaryColumn({ name: 'id', type: 'smallint' })
  id: number;

  @Column({ name: 'last_seq', type: 'bigint' })
  lastSeq: string;
}
