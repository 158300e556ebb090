import express from 'express';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { request as httpRequest } from 'node:http';
import pino from 'pino';
import { Writable } from 'node:stream';
import request from 'supertest';
import { storage } from 'nestjs-pino/storage';
import { requestLogger, RequestWithId } from './request-logger';

interface Line {
  level: number;
  msg: string;
  req: { id: string; method: string; url: string };
  res: { statusCode: number };
  responseTime: number;
}

function capture(level: string) {
  const lines: Line[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Line);
      done();
    },
  });
  return { lines, logger: pino({ level }, stream) };
}

function appWith(level: string) {
  const { lines, logger } = capture(level);
  const app = express();
  app.use(requestLogger(logger));
  app.get('/ok', (req, res) => res.json({ id: (req as RequestWithId).id }));
  app.get('/missing', (_req, res) => res.status(404).json({}));
  app.get('/broken', (_req, res) => res.status(500).json({}));
  app.get('/hang', () => undefined);
  // What a service does through nestjs-pino's Logger: write through the request's store, later.
  app.get('/service-logs', async (_req, res) => {
    await new Promise((r) => setTimeout(r, 5));
    storage.getStore()?.logger.info('gateway renamed');
    res.json({});
  });
  return { app, lines };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('requestLogger', () => {
  it('writes one line per request at a level that follows the status, with the request id', async () => {
    const { app, lines } = appWith('info');
    const ok = await request(app).get('/ok?x=1').set('X-Request-Id', 'trace-42').set('Authorization', 'Bearer sk_live_secret');
    await request(app).get('/missing');
    await request(app).get('/broken');
    await settle();

    expect(ok.headers['x-request-id']).toBe('trace-42');
    expect(ok.body).toEqual({ id: 'trace-42' });
    expect(lines.map((l) => [l.level, l.msg, l.req.method, l.req.url, l.res.statusCode])).toEqual([
      [30, 'request completed', 'GET', '/ok?x=1', 200],
      [40, 'request completed', 'GET', '/missing', 404],
      [50, 'request completed', 'GET', '/broken', 500],
    ]);
    expect(lines[0].req.id).toBe('trace-42');
    expect(lines[1].req.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.every((l) => typeof l.responseTime === 'number' && l.responseTime >= 0)).toBe(true);
    expect(JSON.stringify(lines)).not.toContain('sk_live_secret');
  });

  it('binds the request to lines written while it is handled, after awaits too', async () => {
    const { app, lines } = appWith('info');
    await Promise.all([
      request(app).get('/service-logs').set('X-Request-Id', 'first'),
      request(app).get('/service-logs').set('X-Request-Id', 'second'),
    ]);
    await settle();
    const service = lines.filter((l) => l.msg === 'gateway renamed');
    expect(service.map((l) => l.req).sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'first', method: 'GET', url: '/service-logs' },
      { id: 'second', method: 'GET', url: '/service-logs' },
    ]);
  });

  it('writes nothing below the configured level', async () => {
    const { app, lines } = appWith('warn');
    await request(app).get('/ok');
    await request(app).get('/missing');
    await settle();
    expect(lines.map((l) => l.res.statusCode)).toEqual([404]);
  });

  it('logs a request whose client went away before the response as aborted', async () => {
    const { app, lines } = appWith('info');
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const req = httpRequest({ host: '127.0.0.1', port, path: '/hang' });
      req.on('error', () => undefined);
      req.end();
      await new Promise((r) => setTimeout(r, 50));
      req.destroy();
      for (let i = 0; i < 50 && lines.length === 0; i++) await settle();
    } finally {
      server.closeAllConnections();
      server.close();
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, msg: 'request aborted', req: { method: 'GET', url: '/hang' } });
  });
});
