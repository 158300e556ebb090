/** Snapshot lag of sampled gateways under WebSocket load (bench/ws-ingest.ts), polled through GET .../telemetry. */
import { settings } from './config';
import { ADMIN_KEY } from './seed';
import { sleep } from './stats';

export class LagPoller {
  private running = false;
  readonly samples: { at: number; lagMs: number }[] = [];
  /** Latest memory_mb (send time, ms since epoch) seen per gateway; null before any. */
  readonly latest = new Map<string, number | null>();
  private loops: Promise<void>[] = [];
  polls = 0;
  pollErrors = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly ids: string[],
    private readonly epoch: number,
  ) {}

  start(): void {
    this.running = true;
    this.loops = this.ids.map((id, i) => this.loop(id, (i * settings.wsLagPollMs) / this.ids.length));
  }

  private async loop(id: string, offsetMs: number): Promise<void> {
    await sleep(offsetMs);
    let first = true;
    while (this.running) {
      const started = Date.now();
      try {
        const res = await fetch(`${this.baseUrl}/api/v1/gateways/${id}/telemetry`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
        const body = (await res.json()) as { memory_mb?: number | null };
        this.polls++;
        if (res.status !== 200) this.pollErrors++;
        const value = typeof body.memory_mb === 'number' ? body.memory_mb : null;
        const previous = this.latest.get(id) ?? null;
        // Visible no later than when the response arrived: an upper bound on the lag.
        const seen = Date.now();
        if (value !== null && value !== previous && !first) this.samples.push({ at: seen, lagMs: seen - this.epoch - value });
        this.latest.set(id, value);
        first = false;
      } catch {
        this.pollErrors++;
      }
      await sleep(Math.max(0, settings.wsLagPollMs - (Date.now() - started)));
    }
  }

  between(t0: number, t1: number): number[] {
    return this.samples.filter((s) => s.at >= t0 && s.at < t1).map((s) => s.lagMs);
  }

  /** Sampled gateways whose visible frame is older than `limitMs` (or that show none). */
  staleCount(limitMs: number): number {
    const now = Date.now() - this.epoch;
    return this.ids.filter((id) => {
      const v = this.latest.get(id);
      return v === null || v === undefined || now - v > limitMs;
    }).length;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }
}
