import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Gateway } from '../gateways/gateway.entity';

/**
 * A connection of a gateway that a newer one replaced (4409), as the instance that held it saw
 * it: who it was (client address, boot id) and which connection replaced it. Kept 10 minutes:
 * what cloned-key detection reads (ReplacementLog).
 */
@Entity({ name: 'gateway_replacements' })
@Index('IDX_gateway_replacements_at', ['at'])
export class GatewayReplacement {
  @PrimaryColumn({ name: 'gateway_id', type: 'uuid' })
  gatewayId: string;

  @ManyToOne(() => Gateway, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'gateway_id' })
  gateway?: Gateway;

  @PrimaryColumn({ name: 'replaced_seq', type: 'bigint' })
  replacedSeq: string;

  @Column({ name: 'by_seq', type: 'bigint' })
  bySeq: string;

  @Column({ name: 'peer_address', type: 'varchar', length: 64 })
  peerAddress: string;

  /** Null when the connection sent no session frame. */
  @Column({ name: 'boot_id', type: 'uuid', nullable: true })
  bootId: string | null;

  @Column({ name: 'at', type: 'timestamptz', default: () => 'now()' })
  at: Date;
}

/** When a gateway's last `gateway.credential_conflict` was written: at most one per 10 minutes. */
@Entity({ name: 'gateway_credential_conflicts' })
export class GatewayCredentialConflict {
  @PrimaryColumn({ name: 'gateway_id', type: 'uuid' })
  gatewayId: string;

  @ManyToOne(() => Gateway, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'gateway_id' })
  gateway?: Gateway;

  @Column({ name: 'at', type: 'timestamptz' })
  at: Date;

  /** The connections in conflict, as the event carries them: [{peer_address, boot_id}]. */
  @Column({ name: 'peers', type: 'jsonb' })
  peers: { peer_address: string; boot_id: string | null }[];

  /** Replacements between different connections in the 10 minutes before. */
  @Column({ name: 'replacements', type: 'int' })
  replacements: number;
}
