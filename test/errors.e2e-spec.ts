import type { Response } from 'supertest';
import { bearer } from './support/factories';
import { expectErrorBody, UUID_RE } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/** Nothing of the implementation leaks: no stack frames, file paths or framework bodies. */
function expectNoInternals(res: Response): void {
  const text = res.text ?? '';
  expect(text).not.toMatch(/\n\s*at\s/);
  expect(text).not.toMatch(/\bat [\w.<>]+ \(/);
  expect(text).not.toMatch(/\.(ts|js):\d+/);
  expect(text).not.toMatch(/node_modules|\/src\/|statusCode|"stack"/);
}

describe('errors', () => {
  let t: TestApp;
  const seen: Response[] = [];
  const keep = (res: Response) => (seen.push(res), res);

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const postSite = (body: string, type = 'application/json') =>
    t.http().post('/api/v1/sites').set(bearer(t.adminKey)).set('Content-Type', type).send(body).then(keep);

  describe('request bodies', () => {
    it('malformed JSON → 400 validation_error with details', async () => {
      const res = await postSite('{"name": "x",');
      expectErrorBody(res, 400, 'validation_error');
    });

    it('an unknown body field → 400 naming the field', async () => {
      const res = await t.http().post('/api/v1/sites').set(bearer(t.adminKey)).send({ name: 'ok', colour: 'red' }).then(keep);
      expectErrorBody(res, 400, 'validation_error');
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'colour' })]);
    });

    it('an unknown field in a camera PATCH → 400 naming it, and nothing changes', async () => {
      const cam = await t.http().post('/api/v1/cameras').set(bearer(t.adminKey)).send({ name: 'C', site_id: t.siteId }).expect(201);
      const res = await t.http().patch(`/api/v1/cameras/${cam.body.id}`).set(bearer(t.adminKey)).send({ name: 'New', org_id: t.orgId }).then(keep);
      expectErrorBody(res, 400, 'validation_error');
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['org_id']);
      const now = await t.http().get(`/api/v1/cameras/${cam.body.id}`).set(bearer(t.adminKey)).expect(200);
      expect(now.body.name).toBe('C');
    });

    it.each([
      ['name: 123', { name: 123 }, 'name'],
      ['name: true', { name: true }, 'name'],
      ['name: null', { name: null }, 'name'],
      ['name: ["a"]', { name: ['a'] }, 'name'],
      ['name missing', {}, 'name'],
      ['name empty', { name: '   ' }, 'name'],
    ])('wrong type or value (%s) → 400 naming the field', async (_label, body, field) => {
      const res = await t.http().post('/api/v1/sites').set(bearer(t.adminKey)).send(body).then(keep);
      expectErrorBody(res, 400, 'validation_error');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('a wrong role value in api-keys → 400 naming role', async () => {
      const res = await t.http().post('/api/v1/api-keys').set(bearer(t.adminKey)).send({ name: 'k', role: 'root' }).then(keep);
      expectErrorBody(res, 400, 'validation_error');
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['role']);
    });

    it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
      'Content-Type %s with a body → 400',
      async (type) => {
        const res = await postSite(type.startsWith('text') ? '{"name":"x"}' : 'name=x', type);
        expectErrorBody(res, 400, 'validation_error');
      },
    );

    it.each([
      ['an array', '[{"name":"x"}]'],
      ['a string', '"x"'],
      ['a number', '42'],
      ['null', 'null'],
    ])('a JSON body that is %s → 400', async (_label, body) => {
      expectErrorBody(await postSite(body), 400, 'validation_error');
    });

    it('a body over 64 KiB → 413 payload_too_large', async () => {
      const res = await postSite(JSON.stringify({ name: 'x'.repeat(64 * 1024) }));
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ error: 'payload_too_large', message: expect.any(String) });
    });

    it('a body just under 64 KiB is read (and then judged on its content)', async () => {
      const res = await postSite(JSON.stringify({ name: 'x'.repeat(60 * 1024) }));
      expectErrorBody(res, 400, 'validation_error');
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['name']);
    });

    it('an unauthenticated oversized body is 413 too', async () => {
      const res = await t.http().post('/api/v1/sites').set('Content-Type', 'application/json').send(JSON.stringify({ name: 'y'.repeat(70000) })).then(keep);
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ error: 'payload_too_large', message: expect.any(String) });
    });

    // PostgreSQL cannot store U+0000; it must be the caller's 400, not the server's 500.
    it('a NUL character in a string field → 400 naming the field, and nothing is stored', async () => {
      const before = (await t.http().get('/api/v1/sites').set(bearer(t.adminKey)).expect(200)).body.total;
      const res = await postSite('{"name":"a\\u0000b"}');
      expectErrorBody(res, 400, 'validation_error');
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'name' })]);
      const cam = await t.http().post('/api/v1/cameras').set(bearer(t.adminKey)).send({ name: 'x\u0000', site_id: t.siteId }).then(keep);
      expectErrorBody(cam, 400, 'validation_error');
      expect((await t.http().get('/api/v1/sites').set(bearer(t.adminKey)).expect(200)).body.total).toBe(before);
    });

    // An unpaired surrogate would be stored as U+FFFD: refused rather than silently changed.
    it('an unpaired surrogate in a string field or key → 400 naming it; a real pair is fine', async () => {
      const lone = await postSite('{"name":"a\\ud800b"}');
      expectErrorBody(lone, 400, 'validation_error');
      expect(lone.body.details).toEqual([expect.objectContaining({ field: 'name' })]);
      const key = await postSite('{"name":"ok","\\udc00":1}');
      expectErrorBody(key, 400, 'validation_error');
      const pair = await postSite('{"name":"camera \\ud83d\\udcf7"}');
      expect(pair.status).toBe(201);
      expect(pair.body.name).toBe('camera \u{1F4F7}');
    });
  });

  describe('paths and queries', () => {
    it.each(['/api/v1/cameras/not-a-uuid', '/api/v1/cameras/123', '/api/v1/cameras/00000000-0000-0000-0000-00000000000g'])(
      'non-uuid path id %s → 400',
      async (path) => {
        const res = await t.http().get(path).set(bearer(t.adminKey)).then(keep);
        expectErrorBody(res, 400, 'validation_error');
        expect(res.body.details).toEqual([expect.objectContaining({ field: 'id' })]);
      },
    );

    it('non-uuid id on PATCH and DELETE routes → 400 as well', async () => {
      expectErrorBody(await t.http().patch('/api/v1/cameras/nope').set(bearer(t.adminKey)).send({ name: 'x' }).then(keep), 400, 'validation_error');
      expectErrorBody(await t.http().delete('/api/v1/cameras/nope').set(bearer(t.adminKey)).then(keep), 400, 'validation_error');
      expectErrorBody(await t.http().delete('/api/v1/api-keys/nope').set(bearer(t.adminKey)).then(keep), 400, 'validation_error');
    });

    it('an unknown query parameter → 400 naming it', async () => {
      for (const path of ['/api/v1/sites?colour=red', '/api/v1/cameras?colour=red', '/api/v1/api-keys?colour=red']) {
        const res = await t.http().get(path).set(bearer(t.adminKey)).then(keep);
        expectErrorBody(res, 400, 'validation_error');
        expect(res.body.details).toEqual([expect.objectContaining({ field: 'colour' })]);
      }
    });

    it.each(['limit=0', 'limit=1001', 'limit=abc', 'limit=1.5', 'limit=-1', 'limit=', 'offset=-1', 'offset=x', 'limit=1&limit=2'])(
      'a bad paging value (%s) → 400',
      async (q) => {
        expectErrorBody(await t.http().get(`/api/v1/sites?${q}`).set(bearer(t.adminKey)).then(keep), 400, 'validation_error');
      },
    );

    it('good paging values are accepted (control)', async () => {
      await t.http().get('/api/v1/sites?limit=1000&offset=0').set(bearer(t.adminKey)).expect(200);
      const one = await t.http().get('/api/v1/sites?limit=1').set(bearer(t.adminKey)).expect(200);
      expect(one.body.data).toHaveLength(1);
    });

    it('a bad site_id filter on cameras → 400', async () => {
      expectErrorBody(await t.http().get('/api/v1/cameras?site_id=abc').set(bearer(t.adminKey)).then(keep), 400, 'validation_error');
    });

    it.each([
      ['GET', '/nope'],
      ['GET', '/api/v1/nope'],
      ['PUT', '/api/v1/sites'],
      ['DELETE', '/api/v1/sites'],
      ['POST', '/api/v1/cameras/00000000-0000-4000-8000-000000000000'],
    ])('unknown route %s %s → 404 not_found', async (method, path) => {
      const req = t.http()[method.toLowerCase() as 'get'](path).set(bearer(t.adminKey));
      const res = await req.then(keep);
      expectErrorBody(res, 404, 'not_found');
    });

    it('unknown route without a key → 404 as well', async () => {
      expectErrorBody(await t.http().get('/api/v1/nope').then(keep), 404, 'not_found');
    });

    it('a missing camera → 404 not_found', async () => {
      const res = await t.http().get('/api/v1/cameras/00000000-0000-4000-8000-000000000000').set(bearer(t.adminKey)).then(keep);
      expectErrorBody(res, 404, 'not_found');
    });
  });

  describe('X-Request-Id', () => {
    it('is on every response, success and error alike', async () => {
      const responses = [
        await t.http().get('/healthz'),
        await t.http().get('/api/v1/sites').set(bearer(t.adminKey)),
        await t.http().get('/api/v1/sites'),
        await t.http().get('/api/v1/nope'),
        await postSite('{bad'),
        await postSite(JSON.stringify({ name: 'z'.repeat(70000) })),
        await t.http().get('/api/v1/cameras/xyz').set(bearer(t.adminKey)),
      ];
      expect(responses.map((r) => r.status)).toEqual([200, 200, 401, 404, 400, 413, 400]);
      for (const r of responses) expect(r.headers['x-request-id']).toMatch(UUID_RE);
      expect(new Set(responses.map((r) => r.headers['x-request-id'])).size).toBe(responses.length);
    });

    it.each(['abc-123', 'req_01HV.7:x', 'a'.repeat(128)])('echoes a sane incoming id (%s)', async (id) => {
      const ok = await t.http().get('/healthz').set('X-Request-Id', id);
      expect(ok.headers['x-request-id']).toBe(id);
      const err = await t.http().get('/api/v1/sites').set('X-Request-Id', id);
      expect(err.status).toBe(401);
      expect(err.headers['x-request-id']).toBe(id);
    });

    it.each([
      ['over 128 characters', 'a'.repeat(129)],
      ['spaces', 'hello world'],
      ['markup', '<script>alert(1)</script>'],
      ['quotes and braces', '"},{"level":60'],
      ['junk over 128 chars', `x;${'%$#@!'.repeat(40)}`],
    ])('replaces a malicious incoming id (%s) with a uuid', async (_label, id) => {
      const res = await t.http().get('/healthz').set('X-Request-Id', id);
      expect(res.headers['x-request-id']).toMatch(UUID_RE);
      const err = await t.http().get('/api/v1/nope').set('X-Request-Id', id);
      expect(err.headers['x-request-id']).toMatch(UUID_RE);
    });
  });

  it('no error body carries a stack trace or internals', () => {
    expect(seen.length).toBeGreaterThan(20);
    const statuses = new Set(seen.map((r) => r.status));
    expect([...statuses].sort()).toEqual(expect.arrayContaining([400, 404, 413]));
    for (const res of seen) {
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expectNoInternals(res);
    }
  });
});
