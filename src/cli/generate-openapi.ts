/**
 * Writes openapi/openapi.json and openapi/openapi.yaml from the decorators (`npm run openapi`).
 * Builds the application graph in preview mode: nothing is instantiated, no database is needed.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/config';
import { buildOpenApiDocument } from '../openapi/document';

export async function renderOpenApi(): Promise<{ json: string; yaml: string }> {
  const app = await NestFactory.create(AppModule.forRoot(loadConfig({}), 'postgresql://preview@127.0.0.1:1/preview'), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    const { version } = require('../../package.json') as { version: string };
    const document = buildOpenApiDocument(app, version);
    return { json: `${JSON.stringify(document, null, 2)}\n`, yaml: stringify(document, { lineWidth: 0, sortMapEntries: true }) };
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  renderOpenApi().then(
    ({ json, yaml }) => {
      const dir = join(__dirname, '..', '..', 'openapi');
      writeFileSync(join(dir, 'openapi.json'), json);
      writeFileSync(join(dir, 'openapi.yaml'), yaml);
      process.stderr.write('wrote openapi/openapi.json and openapi/openapi.yaml\n');
    },
    (e: unknown) => {
      process.stderr.write(`openapi: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
