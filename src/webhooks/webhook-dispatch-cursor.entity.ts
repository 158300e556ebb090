import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** The one row that says up to which event `seq` deliveries have been made; locked while dispatching. */
@Entity({ name: 'webhook_dispatch_cursor' })
@Check('CHK_webhook_dispatch_cursor_single_row', '"id" = 1')
export class WebhookDispatchCursor {
  @PrimaryColumn({ name: 'id', type: 'smallint' })
  id: number;

  @Column({ name: 'last_seq', type: 'bigint' })
  lastSeq: string;
}
