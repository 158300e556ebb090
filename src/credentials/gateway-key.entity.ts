import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { OrgOwnedEntity } from '../database/org-owned.entity';
import { Gateway } from '../gateways/gateway.entity';

/**
 * What a key is to the upgrade that presents it (v1.3):
 * - `pending`: drawn for a rotation and sent to the gateway, not yet used; its first connection
 *   makes it `active` (the GatewayCredentials migration's trigger completes the rotation);
 * - `active`: the gateway's key;
 * - `retiring`: the key before a rotation, usable until `expires_at`;
 * - `revoked`: refused (a retiring key past `expires_at` is shown and treated as revoked).
 */
export type GatewayKeyState = 'pending' | 'active' | 'retiring' | 'revoked';

/**
 * A gateway's `gw_` key, as its SHA-256 only. A gateway has at most one active key and, during
 * a rotation's grace, one retiring key; a rotation's pending key is not listed until it is used.
 * Deleting the gateway deletes its keys, and a trigger keeps their hashes as tombstones (the
 * upgrade answers them 404).
 */
@Entity({ name: 'gateway_keys' })
@Index('IDX_gateway_keys_gateway', ['gatewayId'])
@Check('CHK_gateway_keys_state', `"state" IN ('pending', 'active', 'retiring', 'revoked')`)
export class GatewayKey extends OrgOwnedEntity {
  @Column({ name: 'gateway_id', type: 'uuid' })
  gatewayId: string;

  @ManyToOne(() => Gateway, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'gateway_id' })
  gateway?: Gateway;

  @Index('UQ_gateway_keys_key_hash', { unique: true })
  @Column({ name: 'key_hash', type: 'char', length: 64 })
  keyHash: string;

  @Column({ name: 'state', type: 'varchar', length: 16 })
  state: GatewayKeyState;

  /** The rotation that drew it (gateway_key_rotations.id); null for a key issued by pairing. */
  @Column({ name: 'rotation_id', type: 'uuid', nullable: true })
  rotationId: string | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  /** The client address of the last connection made with it. */
  @Column({ name: 'last_peer_address', type: 'varchar', length: 64, nullable: true })
  lastPeerAddress: string | null;

  /** A retiring key is refused from then on. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
