import { expectErrorBody } from '../support/http';
import { expectRunning, Instance, killAll, newAdminKey, startInstance } from '../support/instances';
import { OwnCluster, startOwnCluster } from '../support/own-cluster';
import { eventually } from '../support/ws-client';

jest.setTimeout(180_000);

const PER_ADDRESS = 5;
const TOTAL = 60;

async function call(instance: Instance, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${instance.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** A pair call from `address` (the instances trust X-Forwarded-For from loopback, as behind a proxy). */
const pairFrom = (instance: Instance, address: string, code: unknown) =>
  call(instance, '/api/v1/gateways/pair', code === undefined ? {} : { pairing_code: code }, { 'X-Forwarded-For': address });

/**
 * Pairing under abuse and under honest bursts, with two instances on one database: the guess
 * limits must stop guessing without refusing honest installers, and cost nothing when they refuse.
 */
describe('pairing under bursts, guess surges and floods', () => {
  let cluster: OwnCluster;
  let a: Instance;
  let b: Instance;
  const adminKey = newAdminKey();
  let siteId: string;
  let unknown = 0;
  /** A well-formed code that was never issued (the alphabet has no 0, 1, O, I or L; these are all of it). */
  const unknownCode = () => `ZZ${'ABCDEFGHJKMNPQRSTUVWXYZ23456789'[Math.floor(unknown / 31) % 31]}${'ABCDEFGHJKMNPQRSTUVWXYZ23456789'[unknown++ % 31]}ZZ`;

  async function issue(count: number): Promise<string[]> {
    const codes: string[] = [];
    for (let i = 0; i < count; i++) {
      const res = await call(a, '/api/v1/gateways/generate-pairing-code', { name: `gw ${i}`, site_id: siteId }, { Authorization: `Bearer ${adminKey}` });
      expect(res.status).toBe(201);
      codes.push(res.body.pairing_code);
    }
    return codes;
  }

  beforeAll(async () => {
    cluster = await startOwnCluster();
    const env = {
      TRUST_PROXY: 'loopback',
      PAIR_GUESS_LIMIT_PER_ADDRESS: String(PER_ADDRESS),
      PAIR_GUESS_LIMIT_TOTAL: String(TOTAL),
      PAIRING_MAX_ACTIVE_CODES: '50',
      PAIR_GUESS_SURGE_LIMIT_PER_ADDRESS: '2',
      PAIR_GUESS_SURGE_CHECK_INTERVAL_MS: '200',
    };
    a = await startInstance('A', cluster.databaseUrl, adminKey, env);
    b = await startInstance('B', cluster.databaseUrl, adminKey, env);
    siteId = (await (await fetch(`${a.baseUrl}/api/v1/sites`, { headers: { Authorization: `Bearer ${adminKey}` } })).json()).data[0].id;
  });

  afterAll(async () => {
    await killAll([a, b]);
    await cluster?.destroy();
  });

  it('redeems 25 valid codes sent at once from one address (an installer behind one NAT), on both instances', async () => {
    const codes = await issue(25);
    const results = await Promise.all(codes.map((code, i) => pairFrom(i % 2 ? a : b, '198.51.100.7', code)));
    expect(results.map((r) => r.status)).toEqual(Array(25).fill(200));
  });

  it('counts IPv6 clients per /64: a neighbour in the same /64 shares the allowance, another /64 does not', async () => {
    for (let i = 0; i < PER_ADDRESS; i++) expect((await pairFrom(a, '2001:db8:aa:1::1', unknownCode())).status).toBe(404);
    const neighbour = await pairFrom(b, '2001:db8:aa:1:ffff::9', unknownCode());
    expectErrorBody(neighbour as never, 429, 'rate_limited');
    expect(Number(neighbour.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await pairFrom(b, '2001:db8:aa:2::1', unknownCode())).status).toBe(404);
  });

  it('refuses a limited address and a malformed call without the database (answered while it is down)', async () => {
    for (let i = 0; i < PER_ADDRESS; i++) await pairFrom(a, '203.0.113.50', unknownCode());
    expect((await pairFrom(a, '203.0.113.50', unknownCode())).status).toBe(429);
    await cluster.stop();
    try {
      const limited = await pairFrom(a, '203.0.113.50', unknownCode());
      expectErrorBody(limited as never, 429, 'rate_limited');
      const malformed = await pairFrom(a, '203.0.113.51', 'O0O0O0');
      expectErrorBody(malformed as never, 400, 'validation_error');
      const missing = await pairFrom(a, '203.0.113.51', undefined);
      expectErrorBody(missing as never, 400, 'validation_error');
    } finally {
      await cluster.start();
    }
    await eventually(async () => (await fetch(`${a.baseUrl}/readyz`)).status === 200, 10_000);
  });

  it('a deployment-wide surge of guesses never refuses an address that has not guessed wrong itself', async () => {
    // Many addresses, each below its own limit, together over the deployment's total.
    const guessers = Array.from({ length: Math.ceil(TOTAL / (PER_ADDRESS - 1)) + 2 }, (_, i) => `192.0.2.${i + 1}`);
    for (const address of guessers) {
      for (let i = 0; i < PER_ADDRESS - 1; i++) await pairFrom(i % 2 ? a : b, address, unknownCode());
    }
    const [code] = await issue(1);
    // A fresh address with a valid code pairs, on either instance, during the surge.
    await new Promise((r) => setTimeout(r, 500));
    expect((await pairFrom(b, '198.51.100.200', code)).status).toBe(200);
    expect((await pairFrom(a, '198.51.100.201', unknownCode())).status).toBe(404);
    // An address that already guessed wrong gets less allowance while the surge lasts.
    const tightened = await pairFrom(a, guessers[0], unknownCode());
    expectErrorBody(tightened as never, 429, 'rate_limited');
    expectRunning(a);
    expectRunning(b);
  });
});
