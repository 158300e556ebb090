import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The key hash of a paired gateway that was deleted, written by a trigger on `gateways` (the
 * GatewayTombstones migration) whatever deleted it. The WebSocket upgrade answers such a key
 * `404 not_found` — the gateway is gone, re-pair — rather than the 401 of a key never issued.
 */
@Entity({ name: 'gateway_tombstones' })
export class GatewayTombstone {
  @PrimaryColumn({ name: 'key_hash', type: 'char', length: 64 })
  keyHash: string;

  @Column({ name: 'gateway_id', type: 'uuid' })
  gatewayId: string;

  @Column({ name: 'org_id', type: 'uuid' })
  orgId: string;

  @Column({ name: 'deleted_at', type: 'timestamptz', default: () => 'now()' })
  deletedAt: Date;
}
