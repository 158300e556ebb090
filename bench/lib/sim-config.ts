/**
 * Gateway configuration (v1.3) as the gateway simulator (bench/gateway-sim.ts) applies it:
 * - Its session declares `config.v1` and `config_version`, the version it last applied (0 before
 *   any), so the service sends it a `config` frame only when it is behind.
 * - A `config {version, desired}` frame is the whole latest desired document. The simulator
 *   applies it (the document becomes its running configuration) and reports
 *   `config_report {version, status: 'applied', reported: <running>}` — unless the document
 *   holds a top-level field it was told to reject (--reject-config-field), which it reports
 *   `rejected` with one error per such field, its running configuration unchanged.
 * - One log line per `config` frame: applied, rejected, already applied, or older (ignored).
 * - After every session it reports its latest outcome again (the service ignores what it
 *   already has, and may have dropped a report it could not write).
 * The simulator's memory stands for a gateway's disk: the applied version and the running
 * configuration survive its reconnects and its simulated reboots.
 */

export type ConfigDocument = Record<string, unknown>;

interface ConfigReport {
  version: number;
  status: 'applied' | 'rejected';
  reported: ConfigDocument;
  errors: { path: string; message: string }[];
}

/** What the configuration of one simulated gateway needs from it. */
export interface ConfigIo {
  /** Sends a frame on the gateway's socket if it is open (else it is dropped: see resendReport). */
  send(event: string, data: unknown): void;
  /** One line per `config` frame. */
  log(line: string): void;
}

export const CONFIG_CAPABILITY = 'config.v1';
export const REJECT_MESSAGE = 'not supported by this simulator';
/** A logged document is cut at this many characters (one may be 32 KiB). */
const LOGGED_CHARS = 200;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const isConfigFrame = (d: unknown): d is { version: number; desired: ConfigDocument } =>
  isObject(d) && Number.isSafeInteger(d.version) && (d.version as number) >= 0 && isObject(d.desired);

function shown(doc: ConfigDocument): string {
  const text = JSON.stringify(doc);
  return text.length > LOGGED_CHARS ? `${text.slice(0, LOGGED_CHARS)}…` : text;
}

/** The configuration of one simulated gateway, across its connections and reboots. */
export class GatewayConfig {
  private applied = 0;
  private running: ConfigDocument = {};
  private last?: ConfigReport;

  constructor(
    private readonly io: ConfigIo,
    /** Top-level fields whose presence in a desired document makes the simulator reject it. */
    private readonly rejectFields: readonly string[] = [],
  ) {}

  /** The version last applied: the session's `config_version`. */
  get version(): number {
    return this.applied;
  }

  /** The configuration it runs now (what it reports). */
  get current(): ConfigDocument {
    return structuredClone(this.running);
  }

  onConfig(data: unknown): void {
    if (!isConfigFrame(data)) {
      this.io.log(`config frame ignored: not {version, desired} (${JSON.stringify(data)?.slice(0, LOGGED_CHARS)})`);
      return;
    }
    const { version, desired } = data;
    const what = `config v${version}`;
    if (version < this.applied) {
      // The service never sends one older than it knows the gateway has; nothing to report.
      this.io.log(`${what}: older than the applied v${this.applied}, ignored`);
      return;
    }
    if (version === this.applied && this.last?.status === 'applied') {
      this.report(this.last);
      this.io.log(`${what}: already applied, reported again`);
      return;
    }
    const refused = this.rejectFields.filter((f) => Object.hasOwn(desired, f));
    if (refused.length) {
      this.report({ version, status: 'rejected', reported: this.current, errors: refused.map((path) => ({ path, message: REJECT_MESSAGE })) });
      this.io.log(`${what}: rejected, ${refused.join(', ')} ${REJECT_MESSAGE}; still running v${this.applied}`);
      return;
    }
    this.running = structuredClone(desired);
    this.applied = version;
    this.report({ version, status: 'applied', reported: this.current, errors: [] });
    this.io.log(`${what}: applied ${shown(desired)}`);
  }

  /** After a session: the latest report again, if there is one. */
  resendReport(): void {
    if (this.last) this.io.send('config_report', this.last);
  }

  private report(report: ConfigReport): void {
    this.last = report;
    this.io.send('config_report', report);
  }
}
