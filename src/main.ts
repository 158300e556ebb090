import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { createApp } from './app.factory';
import { colourFor, LogFormat, prettyLine } from './common/log-format';
import { ConfigError, loadConfig } from './config/config';
import { resolveDatabase } from './database/database-url';

const SHUTDOWN_DEADLINE_MS = 10_000;
/**
 * TCP connections the kernel may hold for the service before it accepts them. When an instance
 * stops, its whole fleet connects to the others within seconds; past Node's default of 511 the
 * kernel drops the SYNs and each of those gateways waits a second or more to send another. The
 * kernel caps it at net.core.somaxconn (docs/operations.md, "Fleet scale").
 */
const LISTEN_BACKLOG = 4096;

// The lines written before the application's logger exists (or after it is closed) follow
// LOG_FORMAT too, once the configuration is read.
let lineFormat: LogFormat = 'json';

function say(level: 'info' | 'error', msg: string): void {
  const stream = process[level === 'error' ? 'stderr' : 'stdout'];
  const entry = { level: level === 'error' ? 50 : 30, time: Date.now(), context: 'Main', msg };
  stream.write(lineFormat === 'pretty' ? prettyLine(entry, colourFor(stream)) : `${JSON.stringify(entry)}\n`);
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  lineFormat = config.logFormat;

  const database = await resolveDatabase(config, (m) => say('info', m));
  let app;
  try {
    app = await createApp(config, database.url);
    // Nest hands these arguments to http.Server#listen(port, host, backlog); its type omits the backlog.
    const listen = app.listen.bind(app) as unknown as (port: number, host: string, backlog: number) => Promise<unknown>;
    await listen(config.PORT, config.HOST, LISTEN_BACKLOG);
  } catch (e) {
    say('error', `start-up failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    await database.stop();
    process.exit(1);
  }
  app.get(Logger).log(`NovaVMS gateway service listening on http://${config.HOST}:${config.PORT}`, 'Main');

  // Shutdown order matters: stop taking requests and close sockets first, then the database.
  let stopping = false;
  // While stopping, a keep-alive client (a dashboard, a load balancer's probe) must not hold the
  // HTTP server open: every answer closes its connection, and idle ones are closed as they idle.
  const server = app.getHttpServer() as import('node:http').Server;
  server.prependListener('request', (_req, res: import('node:http').ServerResponse) => {
    if (stopping) res.setHeader('Connection', 'close');
  });
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say('info', `${signal} received: shutting down`);
    const deadline = setTimeout(() => {
      say('error', 'shutdown took longer than 10 s: exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    idle.unref();
    try {
      await app.close();
    } finally {
      await database.stop();
    }
    say('info', 'stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

void main().catch((e: unknown) => {
  say('error', `fatal: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  process.exit(1);
});
