import { Column, CreateDateColumn, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

/**
 * What every tenant-owned row has: a uuid id, the org it belongs to (deleted with it), and its
 * creation time. The org is named by entity name, so that tables of every feature can extend
 * this without depending on the orgs feature.
 */
export abstract class OrgOwnedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'org_id', type: 'uuid' })
  orgId: string;

  @ManyToOne('Org', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id' })
  org?: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
