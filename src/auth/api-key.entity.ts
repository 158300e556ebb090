import { Check, Column, Entity, Index } from 'typeorm';
import { OrgOwnedEntity } from '../database/org-owned.entity';
import type { Role } from './roles';

/** A user API key (`sk_live_...`). Only the SHA-256 of the key is stored. */
@Entity({ name: 'api_keys' })
@Index('IDX_api_keys_org', ['orgId'])
@Check('CHK_api_keys_role', `"role" IN ('viewer', 'operator', 'admin')`)
export class ApiKey extends OrgOwnedEntity {
  @Column({ name: 'name', type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'role', type: 'varchar', length: 16 })
  role: Role;

  /** null: every site of the org; otherwise only these sites. */
  @Column({ name: 'site_ids', type: 'uuid', array: true, nullable: true })
  siteIds: string[] | null;

  @Index('UQ_api_keys_key_hash', { unique: true })
  @Column({ name: 'key_hash', type: 'char', length: 64 })
  keyHash: string;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
