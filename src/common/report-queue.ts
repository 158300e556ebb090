import type { Logger } from '@nestjs/common';
import { isDatabaseUnavailable } from './error.filter';
import { PeriodicTask } from './periodic-task';

/** Reports waiting for the database beyond this are refused (the gateway sends them again after a reconnect). */
const MAX_WAITING = 50_000;
const MAX_PER_WRITE = 1_000;
/** A write that failed because of the database is tried again this soon. */
const RETRY_MS = 1_000;

/**
 * What gateways report (command acks and results, configuration reports), waiting to be written
 * in batches: each write takes up to 1,000, in arrival order, and the next follows at once while
 * more wait. A write that fails because the database is away or busy keeps its batch for the
 * next one; one that fails otherwise would fail the same way again and hold up every report
 * behind it, so its batch is logged and dropped (the gateways send their reports again after a
 * reconnect).
 */
export class ReportQueue<T> {
  private waiting: T[] = [];
  private readonly task: PeriodicTask;

  constructor(
    private readonly what: string,
    private readonly write: (batch: T[]) => Promise<void>,
    private readonly logger: Pick<Logger, 'warn' | 'log' | 'error'>,
  ) {
    this.task = new PeriodicTask(what, RETRY_MS, () => this.writeNext(), logger);
  }

  get size(): number {
    return this.waiting.length;
  }

  /** False when the queue is full and the report was not taken. */
  push(report: T): boolean {
    if (this.waiting.length >= MAX_WAITING) return false;
    this.waiting.push(report);
    void this.task.runNow();
    return true;
  }

  start(): void {
    this.task.start();
  }

  /** Writes what waits now (shutdown); never rejects. */
  flush(): Promise<void> {
    return this.task.runNow();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  private async writeNext(): Promise<void> {
    if (this.waiting.length === 0) return;
    const batch = this.waiting.slice(0, MAX_PER_WRITE);
    this.waiting = this.waiting.slice(batch.length);
    try {
      await this.write(batch);
    } catch (e) {
      // Kept, and tried again at the next scheduled run (RETRY_MS), not at once.
      if (isDatabaseUnavailable(e)) {
        this.waiting = [...batch, ...this.waiting];
        throw e;
      }
      this.logger.error({ err: e }, `dropped ${batch.length} ${this.what} that could not be written`);
    }
    if (this.waiting.length > 0) void this.task.runNow();
  }
}
