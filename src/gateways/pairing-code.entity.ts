import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Gateway } from '../gateways/gateway.entity';
import { OrgOwnedEntity } from '../database/org-owned.entity';

/**
 * A 6-character code that lets one gateway claim a key once. A gateway paired again (v1.3) has
 * had several; issuing one removes its codes not redeemed, so at most one is live.
 */
@Entity({ name: 'pairing_codes' })
@Index('IDX_pairing_codes_code', ['code'])
@Index('IDX_pairing_codes_org_active', ['orgId', 'expiresAt'], { where: 'redeemed_at IS NULL' })
export class PairingCode extends OrgOwnedEntity {
  @Index('IDX_pairing_codes_gateway')
  @Column({ name: 'gateway_id', type: 'uuid' })
  gatewayId: string;

  @ManyToOne(() => Gateway, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'gateway_id' })
  gateway?: Gateway;

  @Column({ name: 'code', type: 'char', length: 6 })
  code: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'redeemed_at', type: 'timestamptz', nullable: true })
  redeemedAt: Date | null;
}
