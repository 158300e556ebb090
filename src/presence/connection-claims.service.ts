import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { InstanceIdentity } from '../common/instance-identity';
import { PeriodicTask } from '../common/periodic-task';
import { Metrics } from '../metrics/metrics';
import { ClaimRequest, ConnectionClaim, GatewaysRepository } from '../gateways/gateways.repository';
import { SIGNAL_CHANNEL } from '../signals/signal-bus';

/** Most claims one statement makes; more wait for the next one, right after it. */
export const MAX_CLAIMS_PER_STATEMENT = 1000;
/** Upgrades that may wait for their claim at once; beyond it an upgrade is answered 503 at once. */
export const MAX_CLAIMS_WAITING = 30_000;
/** A claim not made within this long (its row stayed locked, or the database is slow) is answered 503. */
export const CLAIM_DEADLINE_MS = 5_000;
/** A statement with at least this many claims is logged. */
const SUMMARY_LOG_MIN = 100;
/** How soon a claim whose gateway row was locked is asked again. */
const BUSY_RETRY_MS = 50;

interface Waiting extends ClaimRequest {
  askedAt: number;
  /** The upgrade's socket is gone: its claim is not made (it would only replace a live connection). */
  abandoned: () => boolean;
  resolve: (claim: ConnectionClaim) => void;
  reject: (e: unknown) => void;
}

const retryLater = (message: string) => new ApiError('service_unavailable', message, undefined, { 'Retry-After': '1' });

/**
 * The connection claims of WebSocket upgrades, made in batches: an upgrade asks and waits; one
 * statement (GatewaysRepository.claimConnections) claims for every upgrade waiting, checks its
 * key and announces the new connections to every instance. While a statement runs, the
 * upgrades that arrive meanwhile gather for the next one, so a storm of reconnections costs a
 * few statements, not one round trip (and one pool connection) per upgrade, and the pool never
 * decides who gets in. At most one claim per gateway goes into a statement (the next waits for
 * the one after), so the later of two upgrades of one gateway gets the higher sequence number,
 * whichever of its keys each uses.
 *
 * A claim whose gateway row is locked by another statement is asked again 50 ms later; one not
 * made within 5 s, or asked while 30,000 wait, is answered 503 with Retry-After; a statement
 * that fails (the database is gone) fails the claims it carried, which the upgrade answers 503.
 */
@Injectable()
export class ConnectionClaims implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ConnectionClaims.name);
  private queue: Waiting[] = [];
  private readonly task: PeriodicTask;

  constructor(
    private readonly gateways: GatewaysRepository,
    private readonly instance: InstanceIdentity,
    private readonly metrics: Metrics,
  ) {
    this.task = new PeriodicTask('connection claims', BUSY_RETRY_MS, () => this.claimWaiting(), this.logger);
    metrics.sample(metrics.claimsWaiting, () => this.queue.length);
  }

  onModuleInit(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
    for (const w of this.queue.splice(0)) w.reject(retryLater('The service is stopping; connect again'));
  }

  /** The claim of one upgrade, made with those of every other upgrade waiting. */
  claim(request: ClaimRequest, abandoned: () => boolean): Promise<ConnectionClaim> {
    if (this.queue.length >= MAX_CLAIMS_WAITING) {
      return Promise.reject(retryLater('Too many connections are being accepted right now; retry'));
    }
    return new Promise<ConnectionClaim>((resolve, reject) => {
      this.queue.push({ ...request, askedAt: performance.now(), abandoned, resolve, reject });
      void this.task.runNow();
    });
  }

  /** Takes what waits — one claim per gateway of the path, at most MAX_CLAIMS_PER_STATEMENT — and claims it. */
  private async claimWaiting(): Promise<void> {
    const now = performance.now();
    const batch: Waiting[] = [];
    const rest: Waiting[] = [];
    const gateways = new Set<string>();
    for (const w of this.queue) {
      if (w.abandoned()) w.reject(retryLater('The connection closed before it was accepted'));
      else if (now - w.askedAt > CLAIM_DEADLINE_MS) this.answer(w, retryLater('The connection could not be claimed in time; retry'), now);
      else if (batch.length < MAX_CLAIMS_PER_STATEMENT && !gateways.has(w.pathGatewayId)) {
        gateways.add(w.pathGatewayId);
        batch.push(w);
      } else rest.push(w);
    }
    this.queue = rest;
    if (batch.length === 0) return;
    let claims: ConnectionClaim[];
    try {
      claims = await this.gateways.claimConnections(
        batch.map(({ keyHash, pathGatewayId, peer }) => ({ keyHash, pathGatewayId, peer })),
        this.instance.id,
        SIGNAL_CHANNEL,
      );
    } catch (e) {
      const done = performance.now();
      for (const w of batch) this.answer(w, retryLater('Could not authorize the connection; retry'), done);
      throw new Error(`${batch.length} upgrade(s) answered 503: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.metrics.claimBatchSize.observe(batch.length);
    const done = performance.now();
    // Each connection is logged at debug level (ConnectionRegistry.add); a storm is logged here, by statement.
    if (batch.length >= SUMMARY_LOG_MIN) {
      this.logger.log(`${batch.length} connection claims in one statement (${Math.round(done - now)} ms; ${this.queue.length} waiting)`);
    }
    const busy: Waiting[] = [];
    batch.forEach((w, i) => (claims[i].busy ? busy.push(w) : this.answer(w, claims[i], done)));
    // Asked again first, at the next scheduled run (BUSY_RETRY_MS), with whatever else waits then.
    this.queue = [...busy, ...this.queue];
    // More waits than one statement took: the next one goes right after this.
    if (this.queue.length > busy.length) void this.task.runNow();
  }

  private answer(w: Waiting, outcome: ConnectionClaim | ApiError, at: number): void {
    this.metrics.claimWait.observe((at - w.askedAt) / 1000);
    if (outcome instanceof ApiError) w.reject(outcome);
    else w.resolve(outcome);
  }
}
