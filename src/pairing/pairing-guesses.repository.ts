import { Injectable } from '@nestjs/common';
import { Sql } from '../database/sql';
import { SQL_COUNT_ALL_GUESSES, SQL_GUESSES_OF_ADDRESS, SQL_PRUNE_GUESSES, SQL_RECORD_GUESS } from './pairing-guess.sql';
import { GenerateSql } from '../database/sql-snapshot';

/** The pairing_guesses table: unknown codes tried, per client address, kept as long as the window. */
@Injectable()
export class PairingGuessesRepository {
  constructor(private readonly sql: Sql) {}

  /** For each guess of the address still in the window, the seconds until it leaves it, oldest first. */
  @GenerateSql(['203.0.113.9', 600])
  async expiriesOf(address: string, windowS: number): Promise<number[]> {
    const [row] = await this.sql.rows<{ expiries: number[] }>(SQL_GUESSES_OF_ADDRESS, [address, windowS]);
    return row.expiries;
  }

  /** Records a guess; answers as expiriesOf, the new guess included. */
  @GenerateSql(['203.0.113.9', 600])
  async record(address: string, windowS: number): Promise<number[]> {
    const [row] = await this.sql.rows<{ expiries: number[] }>(SQL_RECORD_GUESS, [address, windowS]);
    return row.expiries;
  }

  /** Guesses across the deployment in the window. */
  @GenerateSql([600])
  async countAll(windowS: number): Promise<number> {
    const [row] = await this.sql.rows<{ n: number }>(SQL_COUNT_ALL_GUESSES, [windowS]);
    return row.n;
  }

  /** Drops up to `batch` guesses that no longer count. */
  @GenerateSql([600, 10000])
  async prune(windowS: number, batch: number): Promise<void> {
    await this.sql.run(SQL_PRUNE_GUESSES, [windowS, batch]);
  }
}
