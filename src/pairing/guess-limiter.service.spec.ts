import { ConsoleLogger, Logger } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { loadConfig } from '../config/config';
import { Metrics } from '../metrics/metrics';
import { GuessLimiterService } from './guess-limiter.service';
import type { PairingGuessesRepository } from './pairing-guesses.repository';

const A = '203.0.113.9';
const B = '198.51.100.7';
const WINDOW = 600;

/** Guesses per address as expiries (seconds until each leaves the window, oldest first); a new guess leaves in WINDOW. */
function setup(initial: Record<string, number[]> = {}) {
  const store = new Map(Object.entries(initial).map(([k, v]) => [k, [...v]]));
  let total = 0;
  const repo = {
    expiriesOf: jest.fn(async (address: string, _windowS: number) => [...(store.get(address) ?? [])]),
    record: jest.fn(async (address: string, _windowS: number) => {
      const list = [...(store.get(address) ?? []), WINDOW];
      store.set(address, list);
      return [...list];
    }),
    countAll: jest.fn(async (_windowS: number) => total),
    prune: jest.fn(async (_windowS: number, _batch: number) => undefined),
  };
  const config = loadConfig({
    PAIR_GUESS_LIMIT_PER_ADDRESS: '3',
    PAIR_GUESS_LIMIT_TOTAL: '10',
    PAIR_GUESS_SURGE_LIMIT_PER_ADDRESS: '2',
    PAIR_GUESS_WINDOW_S: String(WINDOW),
  });
  const service = new GuessLimiterService(repo as unknown as PairingGuessesRepository, config, new Metrics());
  const survey = (n: number) => {
    total = n;
    return (service as unknown as { surveyGuesses(): Promise<void> }).surveyGuesses();
  };
  return { service, repo, store, survey };
}

const unknownCode = () => Promise.reject(ApiError.notFound('Pairing code'));

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const e = await promise.then(() => undefined, (err: unknown) => err);
  if (!(e instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(e)}`);
  return e;
}

describe('GuessLimiterService', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new ConsoleLogger()));
  afterEach(() => jest.restoreAllMocks());

  it('below the limit runs the lookup and returns its answer, recording nothing on success', async () => {
    const { service, repo } = setup({ [A]: [100, 200] });
    const lookup = jest.fn(async () => 'paired');
    await expect(service.guarded(A, lookup)).resolves.toBe('paired');
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(repo.expiriesOf).toHaveBeenCalledWith(A, WINDOW);
    expect(repo.record).not.toHaveBeenCalled();
  });

  it('a lookup answering not_found records a guess and passes the 404 on', async () => {
    const { service, repo, store } = setup();
    expect((await apiError(service.guarded(A, unknownCode))).code).toBe('not_found');
    expect(repo.record).toHaveBeenCalledWith(A, WINDOW);
    expect(store.get(A)).toEqual([WINDOW]);
  });

  for (const code of ['conflict', 'gone', 'validation_error'] as const) {
    it(`a ${code} outcome records nothing`, async () => {
      const { service, repo } = setup();
      const e = await apiError(service.guarded(A, () => Promise.reject(new ApiError(code, 'no'))));
      expect(e.code).toBe(code);
      expect(repo.record).not.toHaveBeenCalled();
    });
  }

  it('a failure that is not an ApiError records nothing', async () => {
    const { service, repo } = setup();
    await expect(service.guarded(A, () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(repo.record).not.toHaveBeenCalled();
  });

  it('the guess that reaches the limit is answered; the next call is refused from memory', async () => {
    const { service, repo } = setup({ [A]: [100, 200] });
    expect((await apiError(service.guarded(A, unknownCode))).code).toBe('not_found');
    repo.expiriesOf.mockClear();
    repo.record.mockClear();

    const lookup = jest.fn(async () => 'never');
    const refused = await apiError(service.guarded(A, lookup));
    expect(refused.code).toBe('rate_limited');
    expect(refused.getStatus()).toBe(429);
    // Three guesses, limit three: one more is allowed once the oldest has aged out.
    expect(refused.headers).toEqual({ 'Retry-After': '100' });
    expect(lookup).not.toHaveBeenCalled();

    const fromMemory = service.refusal(A);
    expect(fromMemory?.code).toBe('rate_limited');
    expect(fromMemory?.headers).toEqual({ 'Retry-After': '100' });
    expect(repo.expiriesOf).not.toHaveBeenCalled();
    expect(repo.record).not.toHaveBeenCalled();
    expect(service.refusal(B)).toBeUndefined();
  });

  it('over the limit, Retry-After is when the oldest (count - limit + 1) guesses have aged out', async () => {
    const { service, repo } = setup({ [A]: [10, 20, 30, 40, 50] });
    const lookup = jest.fn(async () => 'never');
    const e = await apiError(service.guarded(A, lookup));
    expect(e.code).toBe('rate_limited');
    expect(e.headers).toEqual({ 'Retry-After': '30' });
    expect(lookup).not.toHaveBeenCalled();
    expect(repo.record).not.toHaveBeenCalled();
  });

  it('forgets the refusal once its time has passed', async () => {
    const { service, store } = setup({ [A]: [5, 6] });
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
    await apiError(service.guarded(A, unknownCode));
    expect(service.refusal(A)?.headers).toEqual({ 'Retry-After': '5' });
    clock.mockReturnValue(now + 5_001);
    store.set(A, [595, WINDOW - 1]); // the oldest guess left the window
    expect(service.refusal(A)).toBeUndefined();
    await expect(service.guarded(A, async () => 'ok')).resolves.toBe('ok');
  });

  it('runs the calls of one address one at a time, others beside them', async () => {
    const { service, repo } = setup();
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    repo.expiriesOf.mockImplementation(async (address: string) => {
      events.push(`count ${address}`);
      return [];
    });
    const first = service.guarded(A, async () => {
      events.push('first starts');
      await gate;
      events.push('first ends');
      return 1;
    });
    const second = service.guarded(A, async () => {
      events.push('second starts');
      return 2;
    });
    const other = service.guarded(B, async () => {
      events.push('other runs');
      return 3;
    });
    await other;
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual(['count 203.0.113.9', 'count 198.51.100.7', 'first starts', 'other runs']);
    release();
    await expect(Promise.all([first, second])).resolves.toEqual([1, 2]);
    expect(events.slice(4)).toEqual(['first ends', `count ${A}`, 'second starts']);
  });

  it('a refused call does not block the calls queued behind it', async () => {
    const { service } = setup({ [A]: [1, 2, 3] });
    const refused = service.guarded(A, async () => 'never');
    const next = service.guarded(A, async () => 'never');
    expect((await apiError(refused)).code).toBe('rate_limited');
    expect((await apiError(next)).code).toBe('rate_limited');
  });

  describe('surge', () => {
    it('surveys the deployment total and prunes in bounded batches', async () => {
      const { repo, survey } = setup();
      await survey(3);
      expect(repo.countAll).toHaveBeenCalledWith(WINDOW);
      expect(repo.prune).toHaveBeenCalledWith(WINDOW, 10_000);
    });

    it('below the total, an address with surge-limit wrong guesses is still served', async () => {
      const { service, survey } = setup({ [B]: [100, 200] });
      await survey(9);
      await expect(service.guarded(B, async () => 'ok')).resolves.toBe('ok');
    });

    it('during a surge, an address without wrong guesses is served while one at the surge limit is refused', async () => {
      const { service, survey } = setup({ [B]: [100, 200] });
      await survey(10);
      await expect(service.guarded(A, async () => 'ok')).resolves.toBe('ok');
      const e = await apiError(service.guarded(B, async () => 'never'));
      expect(e.code).toBe('rate_limited');
      expect(e.headers).toEqual({ 'Retry-After': '100' });
    });

    it('during a surge the guess that reaches the surge limit makes the next call refused', async () => {
      const { service, survey } = setup({ [A]: [100] });
      await survey(50);
      expect((await apiError(service.guarded(A, unknownCode))).code).toBe('not_found');
      expect(service.refusal(A)?.code).toBe('rate_limited');
    });

    it('when the surge is over, the normal allowance applies again', async () => {
      const { service, survey } = setup({ [B]: [100, 200] });
      await survey(10);
      await survey(2);
      await expect(service.guarded(B, async () => 'ok')).resolves.toBe('ok');
    });
  });
});
