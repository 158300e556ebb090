import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '../common/api-error';
import type { Metrics } from '../metrics/metrics';
import { clientGuessAddress } from './client-address.decorator';
import type { GuessLimiterService } from './guess-limiter.service';

const PAIR_PATH = '/api/v1/gateways/pair';

/** How long a refusal is held before it is sent: a refused client's connections each make at most one call a second. */
const REFUSAL_HOLD_MS = 1000;
/** Pair calls of one address in progress (running or queued) on this instance; more are refused. */
const MAX_IN_FLIGHT_PER_ADDRESS = 64;
/** Refusals held at once, across addresses; beyond, they are sent at once (the connection still closes). */
const MAX_HELD = 10_000;

/**
 * The front of every pair call, before routing, body parsing and the framework's pipeline:
 * - an address known to be over its guess limit is refused here (429);
 * - an address with MAX_IN_FLIGHT_PER_ADDRESS calls already in progress on this instance is
 *   refused here too (429, Retry-After 1) — an installer pairing dozens of gateways at once
 *   stays far below it, a flood does not.
 * A refusal is held for a second, then sent with `Connection: close`. Holding costs a timer, not
 * CPU, so a flood from one address runs at the pace the service sets, over any number of
 * connections, and the other routes keep their latency (bench/pair-flood.ts).
 */
export function pairFloodGuard(limiter: GuessLimiterService, metrics: Metrics) {
  const inFlight = new Map<string, number>();
  let held = 0;

  const refuseSlowly = (res: Response, refusal: ApiError) => {
    const send = () => {
      if (res.writableEnded || res.destroyed) return;
      res.status(refusal.getStatus()).set({ ...refusal.headers, Connection: 'close' }).json(refusal.body());
    };
    if (held >= MAX_HELD) return send();
    held++;
    let holding = true;
    const release = () => {
      if (!holding) return;
      holding = false;
      held--;
      clearTimeout(timer);
    };
    const timer = setTimeout(() => {
      release();
      send();
    }, REFUSAL_HOLD_MS);
    res.once('close', release);
  };

  return function guardPairCalls(req: Request, res: Response, next: NextFunction): void {
    if (req.method !== 'POST' || req.path !== PAIR_PATH) return next();
    // Every answer of a pair call, refusals of this guard included.
    res.once('close', () => metrics.pairingRequests.inc({ status: String(res.statusCode) }));
    const address = clientGuessAddress(req);
    const refusal = limiter.refusal(address);
    if (refusal) return refuseSlowly(res, refusal);
    const running = inFlight.get(address) ?? 0;
    if (running >= MAX_IN_FLIGHT_PER_ADDRESS) {
      return refuseSlowly(res, ApiError.rateLimited('Too many pairing requests from your address at once; retry', 1));
    }
    inFlight.set(address, running + 1);
    res.once('close', () => {
      const left = (inFlight.get(address) ?? 1) - 1;
      if (left > 0) inFlight.set(address, left);
      else inFlight.delete(address);
    });
    next();
  };
}
