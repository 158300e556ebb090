import { Logger } from '@nestjs/common';

/** How often a task that keeps failing says so again (its first failure and its recovery are always logged). */
const REPEAT_FAILURE_LOG_MS = 30_000;

/**
 * The one mechanism for periodic background work. Each run:
 * - never overlaps another run of the same task: the next is scheduled when one ends, and
 *   `runNow` while a run is in flight does not start a second one beside it but asks for one
 *   more run after it, and resolves when that one is done (so whatever the caller changed
 *   before calling is seen by a run);
 * - handles its own failure: a run that throws is logged (first failure, then at most every
 *   30 s while it keeps failing, then the recovery) and the task goes on — a rejected promise
 *   never escapes, so a database outage cannot crash the process through a timer;
 * - stops cleanly: `stop()` cancels the next run and waits for the one in flight.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = true;
  private failures = 0;
  private lastFailureLog = 0;

  constructor(
    private readonly name: string,
    private readonly everyMs: number,
    private readonly work: () => Promise<unknown>,
    private readonly logger: Pick<Logger, 'warn' | 'log'>,
  ) {}

  /** Consecutive failed runs (0 after a success). */
  get failing(): number {
    return this.failures;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  /** Runs the task now, or right after the run in flight; resolves when that run is done, never rejects. */
  runNow(): Promise<void> {
    if (this.running) this.again = true;
    else this.running = this.runWhileAsked();
    return this.running;
  }

  private async runWhileAsked(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.execute();
      } while (this.again);
    } finally {
      this.running = undefined;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runNow().then(() => this.schedule());
    }, this.everyMs);
    this.timer.unref();
  }

  private async execute(): Promise<void> {
    try {
      await this.work();
      if (this.failures > 0) this.logger.log(`${this.name} works again after ${this.failures} failed run(s)`);
      this.failures = 0;
    } catch (e) {
      this.failures++;
      const now = Date.now();
      if (this.failures === 1 || now - this.lastFailureLog >= REPEAT_FAILURE_LOG_MS) {
        this.lastFailureLog = now;
        const why = e instanceof Error ? e.message : String(e);
        this.logger.warn(this.failures === 1 ? `${this.name} failed: ${why}` : `${this.name} still failing (${this.failures} runs in a row): ${why}`);
      }
    }
  }
}
