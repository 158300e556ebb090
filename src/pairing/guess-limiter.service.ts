import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiError } from '../common/api-error';
import { AppConfig } from '../config/config';
import {
  GUESS_LOCK_KEY,
  SQL_COUNT_GUESSES,
  SQL_INSERT_GUESS,
  SQL_LOCK_GUESSES,
  SQL_PRUNE_GUESSES,
  SQL_RELEASE_GUESS,
} from './pairing.queries';


/**
 * Limits guesses of unknown pairing codes per client address and across the deployment.
 *
 * A pair call first reserves a guess (under an advisory lock, so parallel calls cannot all slip
 * under the limit) and releases it once the call turns out not to be a guess: a code that exists
 * (200, 409, 410) or a malformed one (400). Over either limit the call is refused with 429.
 */
@Injectable()
export class GuessLimiterService {
  private readonly logger = new Logger('PairingGuesses');

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Returns the reservation id, or throws 429 with Retry-After. */
  async reserve(address: string): Promise<string> {
    const windowS = this.config.PAIR_GUESS_WINDOW_S;
    return this.dataSource.transaction(async (m) => {
      await m.query(SQL_LOCK_GUESSES, [GUESS_LOCK_KEY]);
      const [row] = await m.query(SQL_COUNT_GUESSES, [address, windowS]);
      const overAddress = row.mine >= this.config.PAIR_GUESS_LIMIT_PER_ADDRESS;
      const overTotal = row.total >= this.config.PAIR_GUESS_LIMIT_TOTAL;
      if (overAddress || overTotal) {
        const retryAfter = await this.retryAfter(m, overAddress ? address : undefined, overAddress ? row.mine : row.total);
        this.logger.warn(
          `pairing guesses over the ${overAddress ? `per-address limit for ${address}` : 'deployment-wide limit'}; refusing for ${retryAfter}s`,
        );
        throw ApiError.rateLimited('Too many unknown pairing codes; try again later', retryAfter);
      }
      // Old guesses no longer count; dropping them keeps the table as small as the window.
      await m.query(SQL_PRUNE_GUESSES, [windowS]);
      const [{ id }] = await m.query(SQL_INSERT_GUESS, [address]);
      return String(id);
    });
  }

  async release(reservation: string): Promise<void> {
    await this.dataSource.query(SQL_RELEASE_GUESS, [reservation]);
  }

  /** Seconds until enough guesses of the window have aged out for one more to be allowed. */
  private async retryAfter(
    m: { query: DataSource['query'] },
    address: string | undefined,
    count: number,
  ): Promise<number> {
    const limit = address ? this.config.PAIR_GUESS_LIMIT_PER_ADDRESS : this.config.PAIR_GUESS_LIMIT_TOTAL;
    const params: unknown[] = [this.config.PAIR_GUESS_WINDOW_S, Math.max(0, count - limit)];
    if (address) params.push(address);
    const [row] = await m.query(
      `SELECT ceil(extract(epoch FROM (created_at + make_interval(secs => $1) - now())))::int AS s
         FROM pairing_guesses
        WHERE created_at > now() - make_interval(secs => $1) ${address ? 'AND address = $3' : ''}
        ORDER BY created_at ASC OFFSET $2 LIMIT 1`,
      params,
    );
    return Math.max(1, row?.s ?? this.config.PAIR_GUESS_WINDOW_S);
  }
}
