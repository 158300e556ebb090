import { connect } from 'node:net';
import { Client } from 'pg';
import { runAdminCli } from '../support/cli';
import { sha256 } from '../support/gateway-helpers';
import { expectNoSecretsInLogs, expectRunning, Instance, killAll, newAdminKey, startInstance } from '../support/instances';
import { OwnCluster, startOwnCluster } from '../support/own-cluster';
import { pairFleet } from '../support/sim-fleet';
import { connectGateway } from '../support/ws-client';

jest.setTimeout(180_000);

interface Answer {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/**
 * Requests built to hurt: every answer is a 4xx with the documented error body — never a 500,
 * never an empty body — and none of them tells whether another org's object exists.
 */
describe('hostile input', () => {
  let cluster: OwnCluster;
  let service: Instance;
  const adminKey = newAdminKey();
  const secrets = new Set([adminKey, sha256(adminKey)]);
  let siteId: string;

  async function send(method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}, key: string | null = adminKey): Promise<Answer> {
    const res = await fetch(`${service.baseUrl}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...(key ? { Authorization: `Bearer ${key}` } : {}), ...headers },
      body: body as unknown as BodyInit | undefined,
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  function expectError(res: Answer, status: number, error: string): void {
    expect({ status: res.status, error: res.body?.error }).toEqual({ status, error });
    expect(res.body.message).toEqual(expect.any(String));
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  }

  /** Writes bytes on a raw TCP connection and reads the whole answer (the server closes it). */
  const manyHeaders = (n: number) => Array.from({ length: n }, (_, i) => `X-Extra-${i}: a\r\n`).join('');

  function raw(request: string | Buffer): Promise<{ status: number; headers: string; body: string }> {
    const { hostname, port } = new URL(service.baseUrl);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname);
      const chunks: Buffer[] = [];
      socket.on('data', (c) => chunks.push(c));
      socket.on('error', reject);
      socket.on('close', () => {
        const text = Buffer.concat(chunks).toString('latin1');
        const [head, ...rest] = text.split('\r\n\r\n');
        resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), headers: head, body: rest.join('\r\n\r\n') });
      });
      socket.end(request);
    });
  }

  beforeAll(async () => {
    cluster = await startOwnCluster();
    service = await startInstance('service', cluster.databaseUrl, adminKey, { DB_STATEMENT_TIMEOUT_MS: '500' });
    siteId = (await send('GET', '/api/v1/sites')).body.data[0].id;
  });

  afterAll(async () => {
    await killAll([service]);
    await cluster?.destroy();
  });

  it.each([
    ['POST', '/api/v1/gateways/pair', 'pairing_code', null],
    ['POST', '/api/v1/sites', 'name', adminKey],
    ['POST', '/api/v1/cameras', 'name', adminKey],
    ['POST', '/api/v1/api-keys', 'name', adminKey],
  ])('deeply nested JSON on %s %s → 400 before any recursive processing', async (method, path, field, key) => {
    const body = `{"${field}":${'['.repeat(2000)}${']'.repeat(2000)}}`;
    const res = await send(method, path, body, {}, key);
    expectError(res, 400, 'validation_error');
    expect(res.body.details).toEqual([{ field: 'body', message: expect.stringMatching(/nest/) }]);
  });

  it.each(['toString', '__proto__', 'constructor', 'prototype', 'valueOf', 'hasOwnProperty', '__defineGetter__'])(
    'a body or query field named %s is an unknown field (400), and nothing is created',
    async (name) => {
      const before = (await send('GET', '/api/v1/sites')).body.total;
      const body = await send('POST', '/api/v1/sites', `{"name":"x","${name}":1}`);
      expectError(body, 400, 'validation_error');
      expect(body.body.details).toEqual([{ field: name, message: 'unknown field' }]);
      const query = await send('GET', `/api/v1/gateways?${name}=1`);
      expectError(query, 400, 'validation_error');
      expect(query.body.details).toEqual([{ field: name, message: 'unknown field' }]);
      expect((await send('GET', '/api/v1/sites')).body.total).toBe(before);
    },
  );

  it('invalid UTF-8 in a body → 400, nothing stored altered', async () => {
    const body = Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('b"}')]);
    const res = await send('POST', '/api/v1/sites', body);
    expectError(res, 400, 'validation_error');
    const names = (await send('GET', '/api/v1/sites?limit=1000')).body.data.map((s: { name: string }) => s.name);
    expect(names.some((n: string) => n.includes('\uFFFD'))).toBe(false);
  });

  it.each([
    ['over 16 KiB of headers', 431, 'payload_too_large', `GET /api/v1/sites HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
    ['a Content-Length that is not a number', 400, 'validation_error', 'POST /api/v1/sites HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}'],
    ['two different Content-Lengths', 400, 'validation_error', 'POST /api/v1/sites HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}'],
    ['a control byte in a header', 400, 'validation_error', 'GET /api/v1/sites HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n'],
    ['a request line that is not HTTP', 400, 'validation_error', 'HELLO\r\n\r\n'],
    ['1,000 request headers (Host last)', 431, 'payload_too_large', `GET /api/v1/sites HTTP/1.1\r\n${manyHeaders(1000)}Host: x\r\n\r\n`],
    ['an HTTP/1.1 request without Host', 400, 'validation_error', 'GET /api/v1/sites HTTP/1.1\r\nConnection: close\r\n\r\n'],
    ['an Expect other than 100-continue', 417, 'validation_error', 'GET /api/v1/sites HTTP/1.1\r\nHost: x\r\nExpect: foo\r\nConnection: close\r\n\r\n'],
    ['CONNECT', 400, 'validation_error', 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'],
  ])('%s → %i %s with the JSON error body', async (_label, status, error, request) => {
    const res = await raw(request);
    expect(res.status).toBe(status);
    expect(res.headers).toMatch(/content-type: application\/json/i);
    expect(JSON.parse(res.body)).toMatchObject({ error, message: expect.any(String) });
  });

  it('small mismatches: zero-padded limit is a number; a pairing code that upper-cases into the alphabet is malformed', async () => {
    expect((await send('GET', '/api/v1/gateways?limit=0000000000000001')).status).toBe(200);
    for (const code of ['ßßß', 'ﬀﬀﬀ', 'ǆǆǆ']) {
      const res = await send('POST', '/api/v1/gateways/pair', JSON.stringify({ pairing_code: code }), {}, null);
      expectError(res, 400, 'validation_error');
    }
  });

  it('the WebSocket upgrade answers a key on another org’s gateway exactly like a key on no gateway', async () => {
    const other = JSON.parse((await runAdminCli(['org', 'create', '--name', 'Other'], cluster.databaseUrl)).stdout);
    secrets.add(other.api_key).add(sha256(other.api_key));
    const [theirs] = await pairFleet(service.baseUrl, other.api_key, other.site_id, 1);
    const [mine] = await pairFleet(service.baseUrl, adminKey, siteId, 1);
    secrets.add(theirs.key).add(sha256(theirs.key)).add(mine.key).add(sha256(mine.key));
    const refusal = async (id: string) => {
      const e = (await connectGateway(service.baseUrl, id, mine.key).catch((x) => x)) as { status: number; body: { error: string; message: string } };
      return { status: e.status, body: e.body };
    };
    const onTheirs = await refusal(theirs.id);
    const onNothing = await refusal('00000000-0000-4000-8000-000000000000');
    expect(onTheirs).toEqual(onNothing);
    expect(onTheirs.status).toBe(401);
    // A deleted gateway's key: 404, as the protocol page tells firmware (stop, re-pair).
    expect((await send('DELETE', `/api/v1/gateways/${mine.id}`)).status).toBe(204);
    await expect(connectGateway(service.baseUrl, mine.id, mine.key)).rejects.toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  it('keeps keys out of the log: in a query string, and in a failed key lookup', async () => {
    const key = newAdminKey();
    secrets.add(key).add(sha256(key));
    await send('GET', `/api/v1/sites?api_key=${key}`);
    await send('GET', `/api/v1/sites/${key}`);
    // A key lookup that times out (api_keys locked past the statement timeout): 503, and the
    // failed statement is logged without its parameters (the key's hash).
    const locker = new Client({ connectionString: cluster.databaseUrl });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE api_keys IN ACCESS EXCLUSIVE MODE');
      const res = await send('GET', '/api/v1/sites', undefined, {}, key);
      expectError(res, 503, 'service_unavailable');
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    await new Promise((r) => setTimeout(r, 300));
    expectNoSecretsInLogs([service], secrets);
    expectRunning(service);
  });
});
