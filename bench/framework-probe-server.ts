/**
 * Framework probe server: the smallest NestJS app that serves GET /api/v1/gateways/{id} as the
 * service does (the same key cache, SQL and row mapping, a uuid pipe, the answer as JSON), on
 * the HTTP platform named by FRAMEWORK: `express` (the service's) or `fastify`. It has none of
 * the service's other per-request work (request log, global guard and validation pipe, error
 * filter), so the two differ only in the platform. Env: DATABASE_URL, PORT, FRAMEWORK.
 */
import 'reflect-metadata';
import { Controller, Get, Headers, HttpException, Module, Param, ParseUUIDPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import { canSeeSite } from '../src/auth/auth-context';
import { toGatewayResponse } from '../src/gateways/gateway-response';
import { GatewayRow, SQL_GATEWAY_BY_ID } from '../src/gateways/gateway.sql';
import type { GatewayResponse } from '../src/gateways/dto/gateway.dto';
import { keyCache } from './lib/key-cache';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10, statement_timeout: 15_000, application_name: 'novavms-bench-probe' });
const authenticate = keyCache(pool);

@Controller()
class ProbeController {
  @Get('readyz')
  async ready(): Promise<{ status: string }> {
    await pool.query('SELECT 1');
    return { status: 'ok' };
  }

  @Get('api/v1/gateways/:id')
  async get(@Param('id', new ParseUUIDPipe()) id: string, @Headers('authorization') authorization?: string): Promise<GatewayResponse> {
    const caller = await authenticate({ headers: { authorization } });
    if (!caller) throw new HttpException({ error: 'auth_required', message: 'A valid API key is required' }, 401);
    const { rows } = await pool.query<GatewayRow>(SQL_GATEWAY_BY_ID, [id, caller.orgId]);
    const gateway = rows[0];
    if (!gateway || !canSeeSite(caller, gateway.site_id)) {
      throw new HttpException({ error: 'not_found', message: 'Gateway not found' }, 404);
    }
    return toGatewayResponse(gateway);
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

async function main(): Promise<void> {
  const framework = process.env.FRAMEWORK ?? 'express';
  if (framework !== 'express' && framework !== 'fastify') throw new Error(`FRAMEWORK must be express or fastify, not ${framework}`);
  const adapter = framework === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = await NestFactory.create(ProbeModule, adapter, { logger: ['error', 'warn'] });
  if (framework === 'express') {
    // As the service: no ETag hashing, no X-Powered-By.
    const express = app.getHttpAdapter().getInstance() as { set(k: string, v: unknown): void; disable(k: string): void };
    express.set('etag', false);
    express.disable('x-powered-by');
  }
  await app.listen(Number(process.env.PORT), '127.0.0.1');
}

main().catch((e: unknown) => {
  process.stderr.write(`framework-probe-server: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
