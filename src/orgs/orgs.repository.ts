import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Org } from './org.entity';
import { GenerateSql, IN_TRANSACTION, SAMPLE_UUID } from '../database/sql-snapshot';

/** Any constant shared by every instance: the key of the bootstrap advisory lock. */
const BOOTSTRAP_LOCK_KEY = 0x4e6f7662; // "Novb"

/** The orgs table. */
@Injectable()
export class OrgsRepository {
  @GenerateSql(['Acme', IN_TRANSACTION])
  create(name: string, manager: EntityManager): Promise<Org> {
    const repo = manager.getRepository(Org);
    return repo.save(repo.create({ name }));
  }

  /** Locks the org row until the transaction ends: work serialised per org, across instances. */
  @GenerateSql([SAMPLE_UUID, IN_TRANSACTION])
  async lockForUpdate(orgId: string, manager: EntityManager): Promise<void> {
    await manager.query('SELECT 1 FROM orgs WHERE id = $1 FOR UPDATE', [orgId]);
  }

  /**
   * Within a transaction: takes the bootstrap lock (held until it ends, so instances starting at
   * once bootstrap one at a time) and says whether any org exists.
   */
  @GenerateSql([IN_TRANSACTION])
  async lockBootstrapAndCheckEmpty(manager: EntityManager): Promise<boolean> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK_KEY]);
    return !(await manager.getRepository(Org).exists());
  }
}
