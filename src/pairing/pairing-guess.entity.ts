import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One guess at a pairing code (a redemption that found no code) from one client address. Kept
 * in PostgreSQL so the limits hold across every instance of the deployment.
 */
@Entity({ name: 'pairing_guesses' })
@Index('IDX_pairing_guesses_address_created', ['address', 'createdAt'])
@Index('IDX_pairing_guesses_created', ['createdAt'])
export class PairingGuess {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ name: 'address', type: 'varchar', length: 64 })
  address: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
