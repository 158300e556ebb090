import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOpenApi } from '../cli/generate-openapi';

const ROOT = join(__dirname, '..', '..');
const committed = (name: string) => readFileSync(join(ROOT, 'openapi', name), 'utf8');

type Op = {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  responses: Record<string, { content?: { 'application/json'?: { schema?: { $ref?: string } } } }>;
  'x-required-role'?: string;
  'x-since'?: string;
};

describe('the committed OpenAPI contract', () => {
  let rendered: { json: string; yaml: string };
  beforeAll(async () => {
    rendered = await renderOpenApi();
  });

  it('is exactly what the code generates (run `npm run openapi` and commit when this fails)', () => {
    expect(rendered.json).toBe(committed('openapi.json'));
    expect(rendered.yaml).toBe(committed('openapi.yaml'));
  });

  it('is byte-stable between runs', async () => {
    expect((await renderOpenApi()).json).toBe(rendered.json);
  });

  describe('every operation', () => {
    const doc = JSON.parse(committed('openapi.json')) as { paths: Record<string, Record<string, Op>> };
    const ops = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));

    it('exists for every route of the page', () => {
      const names = ops.map((o) => `${o.method.toUpperCase()} ${o.path}`);
      for (const route of [
        'GET /api/v1/gateways',
        'POST /api/v1/gateways/generate-pairing-code',
        'POST /api/v1/gateways/pair',
        'GET /api/v1/gateways/{id}',
        'GET /api/v1/gateways/{id}/telemetry',
        'PATCH /api/v1/gateways/{id}',
        'DELETE /api/v1/gateways/{id}',
      ]) {
        expect(names).toContain(route);
      }
      expect(ops.length).toBeGreaterThanOrEqual(19);
    });

    it.each(ops.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o.op] as const))('%s is fully documented', (_name, op) => {
      expect(op.operationId).toMatch(/^[a-z][A-Za-z]+_[a-z][A-Za-z]+$/);
      expect(op.summary?.length).toBeGreaterThan(3);
      expect(op.description?.length).toBeGreaterThan(10);
      expect(op.tags).toHaveLength(1);
      expect(['public', 'viewer', 'operator', 'admin']).toContain(op['x-required-role']);
      expect(['1.0', '1.1', '1.2', '1.3']).toContain(op['x-since']);
      if (op['x-required-role'] === 'public') expect(op.security).toEqual([]);
      else expect(op.responses['401']).toBeDefined();
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) >= 400) expect(response.content?.['application/json']?.schema?.$ref).toMatch(/Error$/);
      }
    });

    it('has unique operationIds that read like the page examples', () => {
      const ids = ops.map((o) => o.op.operationId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(
        expect.arrayContaining([
          'gateways_list',
          'gateways_generatePairingCode',
          'gateways_pair',
          'gateways_get',
          'gateways_telemetry',
          'gateways_update',
          'gateways_delete',
        ]),
      );
    });

    it('marks telemetry as new in 1.1 and the rest of the page as 1.0', () => {
      expect(doc.paths['/api/v1/gateways/{id}/telemetry'].get['x-since']).toBe('1.1');
      expect(doc.paths['/api/v1/gateways'].get['x-since']).toBe('1.0');
    });
  });
});
