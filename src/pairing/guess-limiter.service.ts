import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { KeyedQueue } from '../common/keyed-queue';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/config';
import { Metrics } from '../metrics/metrics';
import { PairingGuessesRepository } from './pairing-guesses.repository';

/** Addresses remembered as over their limit; beyond it the oldest entries are forgotten (and re-read if they come back). */
const MAX_REMEMBERED = 100_000;
const PRUNE_BATCH = 10_000;

/**
 * Limits guesses of unknown pairing codes (the 404s) per client address (see guessAddress) and
 * watches their total across the deployment. Only real guesses count: a redemption that finds
 * its code, a malformed code and a refused call never do.
 *
 * - Refused calls cost nothing: an address over its limit is remembered in memory until enough
 *   of its guesses leave the window, and refused from there (pairFloodGuard, at the front of
 *   the middleware chain) without touching the database.
 * - Each instance runs the pair calls of one address one at a time (others wait in memory, not
 *   in the pool; pairFloodGuard bounds how many): the count read before a lookup is exact on
 *   that instance, and a flood from one address holds one database connection at a time. With several instances, parallel
 *   guesses can pass the limit by at most one per other instance before all refuse.
 * - A surge (the deployment-wide total reached, counted in the background) tightens the
 *   allowance of addresses that have already guessed wrong to PAIR_GUESS_SURGE_LIMIT_PER_ADDRESS;
 *   an address with no wrong guess is never refused.
 */
@Injectable()
export class GuessLimiterService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(GuessLimiterService.name);
  /** Address → Date.now() until which it is refused. */
  private readonly refusedUntil = new Map<string, number>();
  private readonly queue = new KeyedQueue();
  private readonly survey: PeriodicTask;
  private surge = false;

  constructor(
    private readonly guesses: PairingGuessesRepository,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    this.survey = new PeriodicTask('pairing guess survey', config.PAIR_GUESS_SURGE_CHECK_INTERVAL_MS, () => this.surveyGuesses(), this.logger);
  }

  onModuleInit(): void {
    this.survey.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.survey.stop();
  }

  /** Memory only: the 429 an address known to be over its limit gets, or undefined. */
  refusal(address: string): ApiError | undefined {
    const until = this.refusedUntil.get(address);
    if (until === undefined) return undefined;
    const left = until - Date.now();
    if (left > 0) {
      this.metrics.pairingGuessRefusals.inc();
      return ApiError.rateLimited('Too many unknown pairing codes; try again later', left / 1000);
    }
    this.refusedUntil.delete(address);
    return undefined;
  }

  /**
   * Runs one pair lookup for `address` under the limit: refused (429) when the address is over
   * it, counted as a guess when the lookup answers 404 (not_found).
   */
  async guarded<T>(address: string, lookup: () => Promise<T>): Promise<T> {
    return this.queue.run(address, async () => {
      const refusal = this.refusal(address);
      if (refusal) throw refusal;
      this.refuseWhenOver(address, await this.guesses.expiriesOf(address, this.config.PAIR_GUESS_WINDOW_S), false);
      try {
        return await lookup();
      } catch (e) {
        if (e instanceof ApiError && e.code === 'not_found') {
          // This guess is answered (404); the next call from the address is refused if it was the last allowed.
          this.refuseWhenOver(address, await this.guesses.record(address, this.config.PAIR_GUESS_WINDOW_S), true);
        }
        throw e;
      }
    });
  }

  /** The allowance in force for an address: tighter during a surge, for those who guessed wrong. */
  private allowance(): number {
    return this.surge ? Math.min(this.config.PAIR_GUESS_SURGE_LIMIT_PER_ADDRESS, this.config.PAIR_GUESS_LIMIT_PER_ADDRESS) : this.config.PAIR_GUESS_LIMIT_PER_ADDRESS;
  }

  /**
   * `expiries`: seconds until each guess of the address in the window leaves it, oldest first.
   * Over the allowance, the address is remembered as refused until enough have left; unless
   * `rememberOnly`, this call is refused too.
   */
  private refuseWhenOver(address: string, expiries: number[], rememberOnly: boolean): void {
    const limit = this.allowance();
    if (expiries.length < limit) return;
    // One more guess is allowed once the oldest (count - limit + 1) guesses have aged out.
    const retryAfterS = Math.max(1, expiries[expiries.length - limit] ?? this.config.PAIR_GUESS_WINDOW_S);
    if (!this.refusedUntil.has(address)) {
      this.logger.warn(`pairing guesses of ${address} reached ${expiries.length} (allowance ${limit}${this.surge ? ', surge' : ''}); refusing it for ${retryAfterS}s`);
    }
    if (this.refusedUntil.size >= MAX_REMEMBERED) this.refusedUntil.delete(this.refusedUntil.keys().next().value as string);
    this.refusedUntil.set(address, Date.now() + retryAfterS * 1000);
    if (rememberOnly) return;
    this.metrics.pairingGuessRefusals.inc();
    throw ApiError.rateLimited('Too many unknown pairing codes; try again later', retryAfterS);
  }

  /** Surge or not, across the deployment; and old guesses dropped a bounded batch at a time. */
  private async surveyGuesses(): Promise<void> {
    const windowS = this.config.PAIR_GUESS_WINDOW_S;
    const n = await this.guesses.countAll(windowS);
    const surge = n >= this.config.PAIR_GUESS_LIMIT_TOTAL;
    if (surge !== this.surge) {
      this.logger.warn(surge ? `pairing guess surge: ${n} unknown codes in ${windowS}s across the deployment; allowance per address tightened` : 'pairing guess surge over');
      this.surge = surge;
    }
    await this.guesses.prune(windowS, PRUNE_BATCH);
    const now = Date.now();
    for (const [address, until] of this.refusedUntil) if (until <= now) this.refusedUntil.delete(address);
  }
}
