import { generateCode, pairGateway } from './support/gateways';
import { startTestApp, TestApp } from './support/test-app';

const pair = (t: TestApp, code: string, forwardedFor?: string) => {
  const req = t.http().post('/api/v1/gateways/pair');
  if (forwardedFor) req.set('X-Forwarded-For', forwardedFor);
  return req.send({ pairing_code: code });
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('pairing guess limits (socket peer is the client)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ PAIR_GUESS_LIMIT_PER_ADDRESS: '3', PAIR_GUESS_WINDOW_S: '600' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses every pair call from an address after its unknown-code guesses reach the limit', async () => {
    const real = await generateCode(t);
    // 400s (malformed) and 409s (a real, redeemed code) are not guesses.
    await t.http().post('/api/v1/gateways/pair').send({ pairing_code: 'O0O0O0' }).expect(400);
    await t.http().post('/api/v1/gateways/pair').send({}).expect(400);
    const redeemed = await pairGateway(t);
    await pair(t, redeemed.code).expect(409);
    for (let i = 0; i < 3; i++) await pair(t, 'ZZZZZ2').expect(404);
    const limited = await pair(t, real.pairing_code).expect(429);
    expect(limited.body).toEqual({ error: 'rate_limited', message: expect.any(String) });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(590);
    expect(retryAfter).toBeLessThanOrEqual(600);
    // Even a malformed body is refused while limited: the limit comes before anything else.
    await t.http().post('/api/v1/gateways/pair').send({}).expect(429);
    // X-Forwarded-For is not trusted here: it cannot buy a fresh allowance.
    await pair(t, real.pairing_code, '203.0.113.9').expect(429);
  });

});

describe('pairing guess limits: parallel guesses', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ PAIR_GUESS_LIMIT_PER_ADDRESS: '3', PAIR_GUESS_WINDOW_S: '600' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('cannot be beaten by parallel guesses', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => pair(t, 'ZZZZZ3')));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 404)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(9);
  });
});

describe('pairing guess limits: the window', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ PAIR_GUESS_LIMIT_PER_ADDRESS: '2', PAIR_GUESS_WINDOW_S: '2' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lets the address pair again once its guesses leave the window', async () => {
    await pair(t, 'ZZZZZ5').expect(404);
    await pair(t, 'ZZZZZ5').expect(404);
    const issued = await generateCode(t);
    const limited = await pair(t, issued.pairing_code).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(2);
    await sleep(2100);
    await pair(t, issued.pairing_code).expect(200);
  });
});

describe('pairing guess limits behind a trusted proxy, and the deployment-wide limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      PAIR_GUESS_LIMIT_PER_ADDRESS: '2',
      PAIR_GUESS_LIMIT_TOTAL: '5',
      PAIR_GUESS_SURGE_LIMIT_PER_ADDRESS: '1',
      PAIR_GUESS_SURGE_CHECK_INTERVAL_MS: '100',
      TRUST_PROXY: 'loopback',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts per forwarded client address; a surge tightens only the allowance of addresses that guessed wrong', async () => {
    await pair(t, 'ZZZZZ4', '198.51.100.1').expect(404);
    await pair(t, 'ZZZZZ4', '198.51.100.1').expect(404);
    await pair(t, 'ZZZZZ4', '198.51.100.1').expect(429);
    await pair(t, 'ZZZZZ4', '198.51.100.2').expect(404);
    await pair(t, 'ZZZZZ4', '198.51.100.2').expect(404);
    await pair(t, 'ZZZZZ4', '198.51.100.3').expect(404);
    // Five guesses in the window: a surge. An address that has not guessed wrong is still served…
    await sleep(300);
    await pair(t, 'ZZZZZ4', '198.51.100.4').expect(404);
    // …but one that has (once; the surge allowance is 1) is refused.
    const res = await pair(t, 'ZZZZZ4', '198.51.100.3').expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

});

describe('pairing code lifetime and TURN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      PAIRING_CODE_TTL_S: '2',
      TURN_URLS: 'turn:turn.example.com:3478,turns:turn.example.com:5349',
      TURN_SECRET: 'a-long-enough-turn-secret',
      TURN_TTL_S: '3600',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('expires codes after PAIRING_CODE_TTL_S', async () => {
    const issued = await generateCode(t);
    const ttl = (Date.parse(issued.expires_at) - Date.now()) / 1000;
    expect(ttl).toBeLessThanOrEqual(2);
    await sleep(2500);
    await pair(t, issued.pairing_code).expect(410);
  });

  it('returns TURN REST credentials in ice_servers', async () => {
    const issued = await generateCode(t);
    const res = await pair(t, issued.pairing_code).expect(200);
    expect(res.body.ice_servers).toEqual([
      { urls: ['turn:turn.example.com:3478', 'turns:turn.example.com:5349'], username: expect.stringMatching(new RegExp(`^\\d+:${issued.id}$`)), credential: expect.stringMatching(/^[A-Za-z0-9+/]{27}=$/) },
    ]);
    const expiry = Number(res.body.ice_servers[0].username.split(':')[0]);
    expect(expiry - Date.now() / 1000).toBeGreaterThan(3500);
    expect(expiry - Date.now() / 1000).toBeLessThanOrEqual(3600);
  });
});
