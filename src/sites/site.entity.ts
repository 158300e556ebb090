import { Column, Entity, Index } from 'typeorm';
import { OrgOwnedEntity } from '../database/org-owned.entity';

/** A location inside an org. Keys may be limited to a list of sites. */
@Entity({ name: 'sites' })
@Index('IDX_sites_org', ['orgId'])
export class Site extends OrgOwnedEntity {
  @Column({ name: 'name', type: 'varchar', length: 100 })
  name: string;
}
