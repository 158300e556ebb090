import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { Request } from 'express';
import { Logger } from 'nestjs-pino';
import type { Logger as PinoRootLogger } from 'pino';
import { AppModule, ROOT_LOGGER } from './app.module';
import { requireJsonObjectBody } from './common/body-parsing';
import { ErrorFilter } from './common/error.filter';
import { answerRawRequests, checkRequestHead } from './common/raw-error';
import { requestLogger } from './common/request-logger';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/config';
import { GatewayLinkAdapter } from './gateway-link/gateway-link.adapter';
import { httpMetrics } from './metrics/http-metrics';
import { Metrics } from './metrics/metrics';
import { buildOpenApiDocument } from './openapi/document';
import { GuessLimiterService } from './pairing/guess-limiter.service';
import { pairFloodGuard } from './pairing/pair-flood-guard';

/**
 * Builds the application exactly as it runs in production; the service, the tests and the
 * benchmarks all start it through here.
 */
export async function createApp(config: AppConfig, databaseUrl: string): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, databaseUrl), {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  // Requests Node's HTTP server refuses get the API's error body too, not an empty one.
  answerRawRequests(app.getHttpServer());
  // First in the chain, so that every request (404s and the docs included) is logged with its id and timed.
  app.use(requestLogger(app.get<PinoRootLogger>(ROOT_LOGGER), httpMetrics(app.get(Metrics))));
  app.use(checkRequestHead);
  app.set('trust proxy', config.trustProxy);
  // An address over its pairing-guess limit is refused before anything else runs.
  app.use(pairFloodGuard(app.get(GuessLimiterService), app.get(Metrics)));
  // Then the body rules, for every route. A plain Express middleware: its errors reach the
  // ErrorFilter through the error handler Nest installs, without a Nest middleware wrapper
  // running on every request.
  app.use(requireJsonObjectBody);
  app.disable('x-powered-by');
  // Weak ETags would cost a hash of every JSON body; no client of this API revalidates with them.
  app.set('etag', false);
  app.useGlobalFilters(new ErrorFilter());
  app.useGlobalPipes(createValidationPipe());
  app.useWebSocketAdapter(new GatewayLinkAdapter(app));
  // Swagger UI and the contract it shows, public: /docs, /docs/openapi.json, /docs/openapi.yaml.
  const { version } = require('../package.json') as { version: string };
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app, version), {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
    customSiteTitle: 'NovaVMS Gateway API',
    swaggerOptions: { persistAuthorization: true, displayOperationId: true, tryItOutEnabled: false },
    // "Try it out" must call the server that serves this page, not the production URL of the contract.
    patchDocumentOnRequest: <TRequest>(req: TRequest, _res: unknown, document: OpenAPIObject): OpenAPIObject => {
      const request = req as unknown as Request;
      return {
        ...document,
        servers: [{ url: `${request.protocol}://${request.get('host')}`, description: 'This server' }, ...(document.servers ?? [])],
      };
    },
  });
  return app;
}
