/**
 * The contract checker itself (test/support/contract.ts): it must catch what it is there to
 * catch, so that a green run of the e2e suites means something. (Named *.e2e-spec.ts so that
 * jest's testMatch picks it up; only its last block starts the app.)
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { attachContractRecorder, committedContract, ContractChecker, type ObservedResponse } from '../support/contract';
import { startTestApp } from '../support/test-app';

const GW = '8f1a2b3c-4d5e-4f7a-8b9c-0d1e2f3a4b5c';
const SITE = 'b5e9f3a1-2c4d-4e6f-8a1b-3c5d7e9f1a2b';
const gateway = {
  id: GW,
  name: 'Warehouse A',
  site_id: SITE,
  status: 'online',
  version: '2026.04.12',
  local_ip: '192.168.10.24',
  last_heartbeat_at: '2026-04-21T14:20:04Z',
  created_at: '2026-02-01T09:00:00Z',
};
const json = (method: string, url: string, status: number, body: unknown): ObservedResponse => ({
  method,
  url,
  status,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(body),
});

describe('contract checker', () => {
  const checker = committedContract();
  const problems = (r: ObservedResponse): string[] => {
    const out = checker.check(r);
    if (out.kind !== 'checked') throw new Error(`expected a check, got ${out.kind}`);
    return out.violations.map((v) => v.problem);
  };

  it('reads every operation of the committed spec', () => {
    expect(checker.operationCount).toBeGreaterThanOrEqual(19);
  });

  it('matches requests to operations by method + path template, literal segments first', () => {
    expect(checker.match('GET', '/api/v1/gateways')?.operationId).toBe('gateways_list');
    expect(checker.match('GET', `/api/v1/gateways/${GW}`)?.operationId).toBe('gateways_get');
    expect(checker.match('GET', `/api/v1/gateways/${GW}/telemetry`)?.operationId).toBe('gateways_telemetry');
    expect(checker.match('PATCH', `/api/v1/gateways/${GW}`)?.operationId).toBe('gateways_update');
    expect(checker.match('DELETE', `/api/v1/gateways/${GW}`)?.operationId).toBe('gateways_delete');
    expect(checker.match('POST', '/api/v1/gateways/pair')?.operationId).toBe('gateways_pair');
    expect(checker.match('POST', '/api/v1/gateways/generate-pairing-code')?.operationId).toBe('gateways_generatePairingCode');
    expect(checker.match('PUT', '/api/v1/gateways')).toBeUndefined();
    expect(checker.match('GET', '/api/v1/nope')).toBeUndefined();
  });

  it('accepts conforming responses (control)', () => {
    expect(problems(json('GET', `/api/v1/gateways/${GW}`, 200, gateway))).toEqual([]);
    expect(problems(json('GET', '/api/v1/gateways?limit=5', 200, { data: [], total: 0 }))).toEqual([]);
    expect(problems(json('GET', `/api/v1/gateways/${GW}`, 404, { error: 'not_found', message: 'No such gateway' }))).toEqual([]);
    expect(problems({ method: 'DELETE', url: `/api/v1/gateways/${GW}`, status: 204, body: '' })).toEqual([]);
    expect(
      problems(json('POST', '/api/v1/sites', 400, { error: 'validation_error', message: 'Bad', details: [{ field: 'name', message: 'required' }] })),
    ).toEqual([]);
  });

  it('(a) catches a status the operation does not document', () => {
    expect(problems(json('GET', '/api/v1/gateways', 500, { error: 'internal_error', message: 'x' }))).toEqual([
      expect.stringContaining('status 500 is not documented for gateways_list'),
    ]);
    expect(problems(json('POST', '/api/v1/gateways/pair', 401, { error: 'auth_required', message: 'x' }))).toEqual([
      expect.stringContaining('status 401 is not documented for gateways_pair'),
    ]);
    // 200 where the operation only promises 201.
    expect(problems(json('POST', '/api/v1/gateways/generate-pairing-code', 200, {}))).toEqual([expect.stringContaining('status 200 is not documented')]);
  });

  it('(b) catches a body that breaks the schema', () => {
    const { created_at: _dropped, ...missing } = gateway;
    expect(problems(json('GET', `/api/v1/gateways/${GW}`, 200, missing))).toEqual([expect.stringContaining("must have required property 'created_at'")]);
    expect(problems(json('GET', `/api/v1/gateways/${GW}`, 200, { ...gateway, status: 'paired' }))).toEqual([
      expect.stringContaining('body/status must be equal to one of the allowed values'),
    ]);
    expect(problems(json('GET', `/api/v1/gateways/${GW}`, 200, { ...gateway, id: 'not-a-uuid' }))).toEqual([
      expect.stringContaining('body/id must match format "uuid"'),
    ]);
    expect(problems(json('GET', `/api/v1/gateways/${GW}`, 200, { ...gateway, created_at: 'yesterday' }))).toEqual([
      expect.stringContaining('body/created_at must match format "date-time"'),
    ]);
    // A field the spec does not list is reported (objects listing their properties are closed)...
    expect(problems(json('GET', `/api/v1/gateways/${GW}`, 200, { ...gateway, key_hash: 'abc' }))).toEqual([
      expect.stringContaining('body must NOT have additional properties'),
    ]);
    // ...but a documented map stays open.
    expect(
      problems(
        json('GET', `/api/v1/gateways/${GW}/telemetry`, 200, {
          gateway_id: GW,
          cpu_percent: null,
          memory_mb: null,
          last_heartbeat_at: null,
          camera_recording_status: { [SITE]: 'recording' },
          network_throughput: { upstream_mbps: 5.2 },
        }),
      ),
    ).toEqual([]);
    // nullable (OpenAPI 3.0) is honoured: null is fine where the spec says nullable, not elsewhere.
    expect(problems(json('GET', `/api/v1/gateways/${GW}`, 200, { ...gateway, version: null, last_heartbeat_at: null }))).toEqual([]);
    expect(problems(json('GET', `/api/v1/gateways/${GW}`, 200, { ...gateway, site_id: null }))).toEqual([expect.stringContaining('body/site_id must be string')]);
    // $refs through components: an item of the list, and the error schemas.
    expect(problems(json('GET', '/api/v1/gateways', 200, { data: [{ id: GW }], total: 1 }))).toEqual([expect.stringContaining('body/data/0 must have required property')]);
    expect(problems(json('GET', `/api/v1/gateways/${GW}`, 404, { statusCode: 404, message: 'Not Found' }))).toEqual([
      expect.stringContaining("must have required property 'error'"),
    ]);
    expect(problems(json('GET', `/api/v1/gateways/${GW}`, 404, { error: 'gone', message: 'x' }))).toEqual([expect.stringContaining('body/error must be equal to one of the allowed values')]);
  });

  it('(c) catches an unknown path or method, unless it is answered 404 not_found', () => {
    expect(problems(json('GET', '/api/v1/nope', 200, { ok: true }))).toEqual([expect.stringContaining('no operation in the spec for GET /api/v1/nope')]);
    expect(problems(json('PUT', '/api/v1/gateways', 200, { data: [], total: 0 }))).toEqual([expect.stringContaining('no operation in the spec for PUT /api/v1/gateways')]);
    expect(problems(json('GET', '/api/v1/nope', 404, { statusCode: 404, message: 'Cannot GET /api/v1/nope' }))).toEqual([
      expect.stringContaining('its 404 body is not a NotFoundError'),
    ]);
    expect(problems({ method: 'GET', url: '/nope', status: 404, contentType: 'text/html', body: '<pre>Cannot GET /nope</pre>' })).toEqual([
      expect.stringContaining('not a JSON NotFoundError'),
    ]);
    // The app's documented answer to a route that does not exist is not a violation (but is counted as checked).
    expect(checker.check(json('GET', '/api/v1/nope', 404, { error: 'not_found', message: 'No such route' }))).toEqual({
      kind: 'checked',
      operation: undefined,
      violations: [],
    });
  });

  it('wants an empty 204, a JSON body where JSON is documented, and valid JSON', () => {
    expect(problems({ method: 'DELETE', url: `/api/v1/gateways/${GW}`, status: 204, contentType: 'application/json', body: '{}' })).toEqual([
      expect.stringContaining('204 must have an empty body'),
    ]);
    expect(problems({ method: 'GET', url: `/api/v1/gateways/${GW}`, status: 200, contentType: 'text/html', body: '<html></html>' })).toEqual([
      expect.stringContaining('Content-Type text/html is not documented'),
    ]);
    expect(problems({ method: 'GET', url: `/api/v1/gateways/${GW}`, status: 200, contentType: 'application/json', body: '{"id":' })).toEqual([
      expect.stringContaining('not valid JSON'),
    ]);
    expect(problems({ method: 'GET', url: `/api/v1/gateways/${GW}`, status: 200, contentType: 'application/json', body: '' })).toEqual([
      expect.stringContaining('empty body'),
    ]);
  });

  it('skips Swagger UI only', () => {
    for (const url of ['/docs', '/docs/', '/docs/openapi.json', '/docs/swagger-ui-bundle.js']) {
      expect(checker.check({ method: 'GET', url, status: 200, contentType: 'text/html', body: '<html>' }).kind).toBe('skipped');
    }
    expect(checker.check({ method: 'GET', url: '/documents', status: 200, contentType: 'text/html', body: '<html>' }).kind).toBe('checked');
  });

  it('refuses a spec it cannot read instead of passing everything', () => {
    expect(() => new ContractChecker({ paths: {}, components: { schemas: {} } })).toThrow(/no operations/);
    expect(
      () =>
        new ContractChecker({
          paths: { '/x': { get: { responses: { '200': { content: { 'application/json': { schema: { type: 'object', frobnicate: true } } } } } } } },
          components: { schemas: { NotFoundError: { type: 'object' } } },
        }),
    ).toThrow(/frobnicate/);
  });

  describe('hooked on a Node HTTP server', () => {
    let server: Server;
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url === '/api/v1/gateways') {
          // Written in pieces, with writeHead: still seen whole.
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.write('{"data":[],');
          res.end(Buffer.from('"total":"zero"}'));
        } else if (req.url === '/healthz') {
          res.setHeader('Content-Type', 'application/json');
          res.end('{"status":"ok"}');
        } else if (req.url?.startsWith('/api/v1/gateways/')) {
          res.statusCode = 418;
          res.setHeader('Content-Type', 'application/json');
          setTimeout(() => res.end('{"error":"teapot","message":"x"}'), 5);
        } else {
          res.statusCode = 200;
          res.end('hello');
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('records every finished response and each violation', async () => {
      const recorder = attachContractRecorder(server);
      try {
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        await request(base).get('/healthz').expect(200);
        await request(base).get('/api/v1/gateways').expect(200);
        await request(base).get(`/api/v1/gateways/${GW}`).expect(418);
        await request(base).get('/api/v1/unknown').expect(200);
        await request(base).get('/docs').expect(200);
        expect(recorder.checked).toBe(4);
        expect(recorder.skipped).toBe(1);
        expect(recorder.unrouted).toBe(1);
        expect(recorder.violations.map((v) => `${v.method} ${v.path} ${v.status}`)).toEqual([
          'GET /api/v1/gateways 200',
          `GET /api/v1/gateways/${GW} 418`,
          'GET /api/v1/unknown 200',
        ]);
        expect(recorder.violations[0]!.problem).toMatch(/body\/total must be (number|integer)/);
        expect(recorder.violations[0]!.body).toBe('{"data":[],"total":"zero"}');
        expect(recorder.report()).toContain('status 418 is not documented for gateways_get');
        expect(recorder.summary('x')).toBe('[contract] x: 4 responses checked against openapi/openapi.json (1 unrouted 404s, 1 skipped), 3 violations');
      } finally {
        recorder.detach();
      }
    });
  });

  describe('wired into startTestApp', () => {
    it('checks the real app and makes close() fail on a violation', async () => {
      const t = await startTestApp();
      let closed = false;
      try {
        await t.http().get('/healthz').expect(200);
        await t.http().get('/api/v1/gateways').set('Authorization', `Bearer ${t.adminKey}`).expect(200);
        await t.http().get('/docs/openapi.json').expect(200);
        expect(t.contract.checked).toBe(2);
        expect(t.contract.skipped).toBe(1);
        expect(t.contract.violations).toEqual([]);
        // As if the app had answered outside its contract:
        t.contract.violations.push({ method: 'GET', path: '/api/v1/gateways', status: 500, problem: 'status 500 is not documented for gateways_list', body: '{}' });
        closed = true;
        await expect(t.close()).rejects.toThrow(/1 response\(s\) in test\/contract\/contract-checker\.e2e-spec\.ts break the committed contract[\s\S]*status 500 is not documented/);
      } finally {
        if (!closed) await t.close().catch(() => undefined);
      }
    });
  });
});
