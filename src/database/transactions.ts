import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ChangeContext, SQL_SET_CHANGE_CONTEXT } from './change-context';

/**
 * A transaction spanning several repositories: services run `run(m => ...)` and pass `m` to
 * each repository call that must be part of it. The only database object a service holds.
 * With a change context, the events the transaction's changes write say who made them and why.
 */
@Injectable()
export class Transactions {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>, change?: ChangeContext): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      if (change) await manager.query(SQL_SET_CHANGE_CONTEXT, [JSON.stringify(change)]);
      return work(manager);
    });
  }
}
