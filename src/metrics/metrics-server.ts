import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppConfig } from '../config/config';
import { Metrics } from './metrics';

/**
 * GET /metrics in Prometheus' text format, on a listener of its own (METRICS_HOST:METRICS_PORT),
 * never on the API's port: it is off unless METRICS_PORT is set, and on 127.0.0.1 unless
 * METRICS_HOST says otherwise, so it is not public by accident. It needs no key — whoever can
 * reach the port can read it, so expose it only to the scraper.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private server?: Server;

  constructor(
    private readonly metrics: Metrics,
    private readonly config: AppConfig,
  ) {}

  /** The port it listens on, once started (METRICS_PORT=0 picks a free one). */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.METRICS_PORT;
    if (port === undefined) return;
    this.metrics.collectDefaults();
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' || path !== '/metrics') {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: GET /metrics\n');
        return;
      }
      this.metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'Content-Type': this.metrics.registry.contentType }).end(text),
        (e: unknown) => {
          this.logger.warn(`metrics scrape failed: ${e instanceof Error ? e.message : String(e)}`);
          res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics unavailable\n');
        },
      );
    });
    // A scraper that stops reading cannot hold a connection.
    server.requestTimeout = 10_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e) => reject(new Error(`METRICS_PORT ${port} on ${this.config.METRICS_HOST}: ${e.message}`)));
      server.listen(port, this.config.METRICS_HOST, resolve);
    });
    server.on('error', (e) => this.logger.warn(`metrics listener: ${e.message}`));
    this.server = server;
    this.logger.log(`metrics on http://${this.config.METRICS_HOST}:${this.port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
