import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { parseDecimalInteger } from '../common/integer';
import { LOG_FORMAT_SETTINGS, resolveLogFormat, type LogFormat, type LogFormatSetting } from '../common/log-format';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' ? (parseDecimalInteger(value.trim()) ?? value) : value);
const emptyToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * Every setting the service reads from the environment. Names are the environment variable
 * names; `.env.example` documents each one. Validation happens once, at start-up.
 */
export class AppConfig {
  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @Transform(emptyToUndefined) @IsOptional() @Matches(/^postgres(ql)?:\/\/\S+$/, {
    message: 'DATABASE_URL must be a postgres:// or postgresql:// connection URL',
  })
  DATABASE_URL?: string;

  @IsString() @MinLength(1)
  EMBEDDED_PG_DIR = './.data/postgres';

  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  EMBEDDED_PG_PORT = 0;

  @Transform(toInt) @IsInt() @Min(1) @Max(200)
  DB_POOL_SIZE = 10;

  @Transform(toInt) @IsInt() @Min(100) @Max(120000)
  DB_CONNECT_TIMEOUT_MS = 5000;

  @Transform(toInt) @IsInt() @Min(100) @Max(600000)
  DB_STATEMENT_TIMEOUT_MS = 15000;

  @Transform(emptyToUndefined) @IsOptional() @Matches(/^sk_live_[A-Za-z0-9_-]{16,}$/, {
    message:
      'NOVAVMS_BOOTSTRAP_ADMIN_KEY must start with sk_live_, be at least 24 characters and use only letters, digits, _ and -',
  })
  NOVAVMS_BOOTSTRAP_ADMIN_KEY?: string;

  @Transform(toInt) @IsInt() @Min(1) @Max(86400)
  PAIRING_CODE_TTL_S = 600;

  @Transform(toInt) @IsInt() @Min(1) @Max(1000)
  PAIRING_MAX_ACTIVE_CODES = 5;

  @Transform(toInt) @IsInt() @Min(1) @Max(1000000)
  PAIR_GUESS_LIMIT_PER_ADDRESS = 20;

  @Transform(toInt) @IsInt() @Min(1) @Max(10000000)
  PAIR_GUESS_LIMIT_TOTAL = 1000;

  @Transform(toInt) @IsInt() @Min(1) @Max(86400)
  PAIR_GUESS_WINDOW_S = 600;

  /**
   * While the deployment-wide total is reached (a guess surge), an address that has already
   * guessed wrong this many times is refused; an address that has not guessed wrong never is.
   */
  @Transform(toInt) @IsInt() @Min(1) @Max(1000000)
  PAIR_GUESS_SURGE_LIMIT_PER_ADDRESS = 5;

  /** How often each instance counts the deployment's guesses (surge or not) and prunes old ones. */
  @Transform(toInt) @IsInt() @Min(100) @Max(600000)
  PAIR_GUESS_SURGE_CHECK_INTERVAL_MS = 5000;

  /**
   * Which proxies may set X-Forwarded-For: "false" (default, the socket peer is the client), a
   * hop count, or Express's comma-separated list of addresses/subnets/keywords (loopback, uniquelocal).
   */
  @IsString() @Matches(/^(false|true|\d{1,2}|[0-9a-fA-F.:/,\s]+|loopback|linklocal|uniquelocal|[a-z0-9.:/,\s]+)$/, {
    message: 'TRUST_PROXY must be false, a hop count, or a list of trusted proxy addresses/subnets',
  })
  TRUST_PROXY = 'false';

  @Transform(emptyToUndefined) @IsOptional() @Matches(/^(turns?:[^\s,]+)(,\s*turns?:[^\s,]+)*$/, {
    message: 'TURN_URLS must be a comma-separated list of turn: or turns: URLs',
  })
  TURN_URLS?: string;

  @Transform(emptyToUndefined) @IsOptional() @IsString() @MinLength(16, {
    message: 'TURN_SECRET must be at least 16 characters',
  })
  TURN_SECRET?: string;

  @Transform(toInt) @IsInt() @Min(60) @Max(7 * 86400)
  TURN_TTL_S = 86400;

  @Transform(toInt) @IsInt() @Min(1) @Max(3600)
  HEARTBEAT_INTERVAL_S = 10;

  @Transform(emptyToUndefined) @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(86400)
  OFFLINE_AFTER_S?: number;

  /** How often buffered heartbeats and telemetry are written to PostgreSQL (one statement each time). */
  @Transform(toInt) @IsInt() @Min(50) @Max(10000)
  TELEMETRY_FLUSH_INTERVAL_MS = 500;

  /** How often the liveness sweep looks for gateways that went silent. */
  @Transform(toInt) @IsInt() @Min(100) @Max(60000)
  LIVENESS_SWEEP_INTERVAL_MS = 1000;

  /**
   * How often each instance re-reads the state of the gateways whose sockets it holds, catching
   * a disable or delete whose signal it missed (it also does so whenever its signal connection
   * comes back).
   */
  @Transform(toInt) @IsInt() @Min(1) @Max(3600)
  RESYNC_INTERVAL_S = 30;

  /** WebSocket ping interval; a peer that has not answered the previous ping is cut off. */
  @Transform(toInt) @IsInt() @Min(1) @Max(3600)
  WS_PING_INTERVAL_S = 15;

  /** Sustained frames per second a gateway may send; beyond it (after the burst) the socket closes 1008. */
  @Transform(toInt) @IsInt() @Min(1) @Max(100000)
  WS_MAX_FRAMES_PER_S = 20;

  @Transform(toInt) @IsInt() @Min(1) @Max(100000)
  WS_FRAME_BURST = 60;

  /** Gateway events older than this are purged (a gateway's or camera's last state before that is kept while it exists). */
  @Transform(toInt) @IsInt() @Min(1) @Max(3650)
  EVENTS_RETENTION_DAYS = 90;

  /** How often committed events are numbered (`seq`) for the events cursor; an event is readable after at most this long. */
  @Transform(toInt) @IsInt() @Min(20) @Max(10000)
  EVENTS_SEQUENCE_INTERVAL_MS = 200;

  /** How often the retention purge runs; each run deletes in batches of EVENTS_PURGE_BATCH. */
  @Transform(toInt) @IsInt() @Min(1) @Max(86400)
  EVENTS_PURGE_INTERVAL_S = 3600;

  @Transform(toInt) @IsInt() @Min(1) @Max(100000)
  EVENTS_PURGE_BATCH = 1000;

  /** A webhook attempt that has no 2xx answer within this many milliseconds failed. */
  @Transform(toInt) @IsInt() @Min(100) @Max(120000)
  WEBHOOK_TIMEOUT_MS = 10000;

  /** Seconds from a failed attempt to the next, one entry per retry; after the last the delivery is failed. */
  @Matches(/^\d{1,6}(,\d{1,6}){0,19}$/, { message: 'WEBHOOK_RETRY_SCHEDULE_S must be up to 20 comma-separated whole seconds, e.g. 5,300,1800' })
  WEBHOOK_RETRY_SCHEDULE_S = '5,300,1800,7200,18000,36000,36000';

  /** An endpoint whose every attempt failed for this many days is disabled. */
  @Transform(toInt) @IsInt() @Min(1) @Max(365)
  WEBHOOK_DISABLE_AFTER_DAYS = 5;

  /** http:// webhook URLs (development only; production endpoints must be https://). */
  @IsIn(['true', 'false'], { message: 'WEBHOOK_ALLOW_HTTP must be true or false' })
  WEBHOOK_ALLOW_HTTP = 'false';

  /** Deliveries to loopback, private, link-local, CGNAT, multicast and unspecified addresses (development and tests only). */
  @IsIn(['true', 'false'], { message: 'WEBHOOK_ALLOW_PRIVATE_TARGETS must be true or false' })
  WEBHOOK_ALLOW_PRIVATE_TARGETS = 'false';

  /** How often each instance looks for events to dispatch and attempts that are due. */
  @Transform(toInt) @IsInt() @Min(20) @Max(60000)
  WEBHOOK_POLL_INTERVAL_MS = 200;

  /** Attempts one instance makes at once. */
  @Transform(toInt) @IsInt() @Min(1) @Max(1000)
  WEBHOOK_CONCURRENCY = 32;

  /** Port of GET /metrics (Prometheus), a listener of its own; unset: no metrics listener. */
  @Transform(emptyToUndefined) @Transform(toInt) @IsOptional() @IsInt() @Min(0) @Max(65535)
  METRICS_PORT?: number;

  /** Address the metrics listener binds: loopback unless set, so that it is never public by accident. */
  @IsString() @MinLength(1)
  METRICS_HOST = '127.0.0.1';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** auto: readable lines when stdout is a terminal, JSON lines otherwise; pretty or json: always that. */
  @IsIn(LOG_FORMAT_SETTINGS)
  LOG_FORMAT: LogFormatSetting = 'auto';

  /** The format stdout gets (LOG_FORMAT, with `auto` settled by whether stdout is a terminal). */
  get logFormat(): LogFormat {
    return resolveLogFormat(this.LOG_FORMAT, process.stdout.isTTY === true);
  }

  get webhookRetryScheduleS(): number[] {
    return this.WEBHOOK_RETRY_SCHEDULE_S.split(',').map(Number);
  }

  get webhookAllowHttp(): boolean {
    return this.WEBHOOK_ALLOW_HTTP === 'true';
  }

  get webhookAllowPrivateTargets(): boolean {
    return this.WEBHOOK_ALLOW_PRIVATE_TARGETS === 'true';
  }

  /** OFFLINE_AFTER_S defaults to three missed heartbeats. */
  get offlineAfterS(): number {
    return this.OFFLINE_AFTER_S ?? 3 * this.HEARTBEAT_INTERVAL_S;
  }

  /** TRUST_PROXY in the form Express's `trust proxy` setting takes. */
  get trustProxy(): boolean | number | string {
    const v = this.TRUST_PROXY.trim();
    if (v === 'false') return false;
    if (v === 'true') return true;
    if (/^\d+$/.test(v)) return Number(v);
    return v;
  }

  get turnUrls(): string[] {
    return (this.TURN_URLS ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter((u) => u.length > 0);
  }
}

export class ConfigError extends Error {}

const KNOWN_KEYS = Object.keys(new AppConfig());
const SECRET_KEYS = new Set(['NOVAVMS_BOOTSTRAP_ADMIN_KEY', 'TURN_SECRET', 'DATABASE_URL']);

/**
 * Builds the typed configuration from an environment. Throws ConfigError naming every bad
 * variable; callers at start-up print it and exit 1.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, string> = {};
  for (const key of [...KNOWN_KEYS, 'DATABASE_URL', 'NOVAVMS_BOOTSTRAP_ADMIN_KEY', 'TURN_URLS', 'TURN_SECRET', 'OFFLINE_AFTER_S']) {
    const value = env[key];
    if (value !== undefined) raw[key] = value;
  }
  const config = plainToInstance(AppConfig, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: false });
  const problems = errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((m) =>
      SECRET_KEYS.has(e.property)
        ? `${e.property}: ${m} (value hidden)`
        : `${e.property}: ${m} (got ${JSON.stringify(raw[e.property])})`,
    ),
  );
  if (config.TELEMETRY_FLUSH_INTERVAL_MS >= config.offlineAfterS * 1000) {
    problems.push('TELEMETRY_FLUSH_INTERVAL_MS must be shorter than OFFLINE_AFTER_S: heartbeats must reach the database before a gateway counts as silent');
  }
  if (Boolean(config.TURN_URLS) !== Boolean(config.TURN_SECRET)) {
    problems.push('TURN_URLS and TURN_SECRET: set both or neither');
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return config;
}
