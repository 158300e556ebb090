import { Writable } from 'node:stream';
import { ConfigError, loadConfig } from '../config/config';
import { colourFor, LogFormat, LogFormatSetting, prettyLine, resolveLogFormat } from './log-format';
import { createRootLogger } from './request-logger';

function capture() {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { chunks, destination, text: () => chunks.join('') };
}

/** Runs `fn` while process.stdout claims (or denies) to be a terminal. */
function withStdoutTTY<T>(isTTY: boolean, fn: () => T): T {
  const had = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
  Object.defineProperty(process.stdout, 'isTTY', { value: isTTY, configurable: true, writable: true });
  try {
    return fn();
  } finally {
    if (had) Object.defineProperty(process.stdout, 'isTTY', had);
    else delete (process.stdout as { isTTY?: boolean }).isTTY;
  }
}

const TIME = String.raw`\[\d{2}:\d{2}:\d{2}\.\d{3}\]`;
const ESC = '\u001b[';

describe('resolveLogFormat', () => {
  it.each<[LogFormatSetting, boolean, LogFormat]>([
    ['auto', true, 'pretty'],
    ['auto', false, 'json'],
    ['pretty', true, 'pretty'],
    ['pretty', false, 'pretty'],
    ['json', true, 'json'],
    ['json', false, 'json'],
  ])('LOG_FORMAT=%s with a terminal: %s gives %s', (setting, tty, expected) => {
    expect(resolveLogFormat(setting, tty)).toBe(expected);
  });
});

describe('LOG_FORMAT in the configuration', () => {
  it('defaults to auto, which follows whether stdout is a terminal', () => {
    const config = loadConfig({});
    expect(config.LOG_FORMAT).toBe('auto');
    expect(withStdoutTTY(true, () => config.logFormat)).toBe('pretty');
    expect(withStdoutTTY(false, () => config.logFormat)).toBe('json');
  });

  it('pretty and json hold on a terminal and off it', () => {
    for (const tty of [true, false]) {
      expect(withStdoutTTY(tty, () => loadConfig({ LOG_FORMAT: 'pretty' }).logFormat)).toBe('pretty');
      expect(withStdoutTTY(tty, () => loadConfig({ LOG_FORMAT: 'json' }).logFormat)).toBe('json');
    }
  });

  it.each(['yaml', 'PRETTY', ''])('refuses %j, naming the variable', (value) => {
    expect(() => loadConfig({ LOG_FORMAT: value })).toThrow(ConfigError);
    expect(() => loadConfig({ LOG_FORMAT: value })).toThrow(/LOG_FORMAT: .*auto, pretty, json/);
  });
});

describe('colourFor', () => {
  it('colours a terminal only, unless NO_COLOR is set', () => {
    expect(colourFor({ isTTY: true }, {})).toBe(true);
    expect(colourFor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourFor({ isTTY: false }, {})).toBe(false);
    expect(colourFor({}, {})).toBe(false);
  });
});

describe('the root logger in pretty mode', () => {
  it('writes a request as one readable line, before the call returns', () => {
    const out = capture();
    const logger = createRootLogger('info', { format: 'pretty', colorize: false, destination: out.destination });
    logger.info({ req: { id: 'trace-42', method: 'GET', url: '/api/v1/sites?limit=5' }, res: { statusCode: 200 }, responseTime: 3 }, 'request completed');
    // Synchronous: nothing awaited between the call and this check.
    expect(out.chunks).toHaveLength(1);
    expect(out.text()).toMatch(new RegExp(`^${TIME} INFO: request completed GET /api/v1/sites\\?limit=5 200 3ms reqId=trace-42\\n$`));
  });

  it('shows the context, the request id of a bound line and the other fields on the same line', () => {
    const out = capture();
    const logger = createRootLogger('info', { format: 'pretty', colorize: false, destination: out.destination });
    logger
      .child({ req: { id: 'r-1', method: 'PATCH', url: '/api/v1/gateways/g' } })
      .warn({ context: 'GatewaysService', gatewayId: 'g-1' }, 'gateway renamed');
    expect(out.text()).toMatch(
      new RegExp(`^${TIME} WARN: \\[GatewaysService\\] gateway renamed PATCH /api/v1/gateways/g reqId=r-1 \\{"gatewayId":"g-1"\\}\\n$`),
    );
  });

  it('keeps an error readable: message on the line, stack below', () => {
    const out = capture();
    const logger = createRootLogger('info', { format: 'pretty', colorize: false, destination: out.destination });
    const err = Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED', parameters: ['secret-param'] });
    logger.error({ err, context: 'ErrorFilter' }, 'unexpected error');
    const [first, ...rest] = out.text().split('\n');
    expect(first).toMatch(new RegExp(`^${TIME} ERROR: \\[ErrorFilter\\] unexpected error`));
    expect(rest.join('\n')).toContain('connection refused');
    expect(rest.join('\n')).toContain('ECONNREFUSED');
    expect(rest.join('\n')).toMatch(/\n\s+at /);
    // The error serializer still applies: a statement's parameters never reach the log.
    expect(out.text()).not.toContain('secret-param');
  });

  it('respects the level', () => {
    const out = capture();
    const logger = createRootLogger('warn', { format: 'pretty', colorize: false, destination: out.destination });
    logger.info('not shown');
    logger.warn('shown');
    expect(out.text()).not.toContain('not shown');
    expect(out.text()).toContain('WARN: shown');
  });

  it('colours only when asked to', () => {
    const plain = capture();
    createRootLogger('info', { format: 'pretty', colorize: false, destination: plain.destination }).info('hello');
    const coloured = capture();
    createRootLogger('info', { format: 'pretty', colorize: true, destination: coloured.destination }).info('hello');
    expect(plain.text()).not.toContain(ESC);
    expect(coloured.text()).toContain(ESC);
    expect(coloured.text()).toContain('hello');
  });
});

describe('redaction in both formats', () => {
  const fields = {
    req: { id: 'r-2', method: 'GET', url: '/x', headers: { authorization: 'Bearer sk_live_topsecret', cookie: 'sid=cookie-secret' } },
  };

  it('json: the credential headers are written as [redacted]', () => {
    const out = capture();
    createRootLogger('info', { destination: out.destination }).info(fields, 'with headers');
    const line = JSON.parse(out.text());
    expect(line.req.headers).toEqual({ authorization: '[redacted]', cookie: '[redacted]' });
    expect(out.text()).not.toMatch(/topsecret|cookie-secret/);
  });

  it('pretty: the credentials are not written either, the request id is', () => {
    const out = capture();
    createRootLogger('info', { format: 'pretty', colorize: false, destination: out.destination }).info(fields, 'with headers');
    expect(out.text()).toContain('with headers GET /x reqId=r-2');
    expect(out.text()).not.toMatch(/topsecret|cookie-secret/);
  });
});

describe('prettyLine', () => {
  it('formats an entry written without a logger as the logger does', () => {
    const entry = { level: 30, time: Date.now(), context: 'Main', msg: 'stopped' };
    expect(prettyLine(entry, false)).toMatch(new RegExp(`^${TIME} INFO: \\[Main\\] stopped\\n$`));
    expect(prettyLine({ ...entry, level: 50 }, false)).toMatch(new RegExp(`^${TIME} ERROR: \\[Main\\] stopped\\n$`));
    expect(prettyLine(entry, true)).toContain(ESC);
  });
});
