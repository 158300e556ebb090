import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AuthContext, canSeeSite } from '../auth/auth-context';
import { drainInBatches } from '../common/drain';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/config';
import { Transactions } from '../database/transactions';
import { EventListResponse, EventResponse, ListEventsQuery } from './dto/event.dto';
import { EventLogRepository, EventRow } from './event-log.repository';

/** Events numbered per transaction; a run numbers at most SEQUENCE_BATCH × SEQUENCE_BATCHES_PER_RUN, then goes on next run. */
const SEQUENCE_BATCH = 5000;
const SEQUENCE_BATCHES_PER_RUN = 20;
/** A purge run deletes at most this many batches, so a backlog is worked off over several runs. */
const PURGE_BATCHES_PER_RUN = 100;

function toEventResponse(row: EventRow): EventResponse {
  return { ...row, seq: Number(row.seq) };
}

const later = (a: string, b: string) => (BigInt(a) >= BigInt(b) ? a : b);

/**
 * The gateway event log: the events cursor, and the two background tasks that keep it —
 * the sequencer, which gives committed events their `seq` (so a reader walking the cursor never
 * passes an event that commits after it with a lower number: numbers are given only to what has
 * committed, in one place at a time), and the retention purge.
 */
@Injectable()
export class EventLogService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(EventLogService.name);
  private readonly sequencer: PeriodicTask;
  private readonly purger: PeriodicTask;

  constructor(
    private readonly events: EventLogRepository,
    private readonly transactions: Transactions,
    private readonly config: AppConfig,
  ) {
    this.sequencer = new PeriodicTask('event sequencer', config.EVENTS_SEQUENCE_INTERVAL_MS, () => this.sequence(), this.logger);
    this.purger = new PeriodicTask('event purge', config.EVENTS_PURGE_INTERVAL_S * 1000, () => this.purge(), this.logger);
  }

  onModuleInit(): void {
    this.sequencer.start();
    this.purger.start();
    // The first purge soon after start, not an interval later.
    void this.purger.runNow();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.sequencer.stop(), this.purger.stop()]);
  }

  /** Numbers the committed events not numbered yet; returns how many. Throws when the database does not answer. */
  sequence(): Promise<number> {
    // null from a batch: another instance is numbering.
    return drainInBatches(SEQUENCE_BATCH, SEQUENCE_BATCHES_PER_RUN, () => this.transactions.run((m) => this.events.sequenceBatch(SEQUENCE_BATCH, m)));
  }

  /** Deletes expired events in batches; returns how many. */
  async purge(): Promise<number> {
    const { EVENTS_RETENTION_DAYS: days, EVENTS_PURGE_BATCH: size } = this.config;
    const total = await drainInBatches(size, PURGE_BATCHES_PER_RUN, () => this.events.purgeBatch(days, size));
    if (total > 0) this.logger.log(`purged ${total} event(s) older than ${this.config.EVENTS_RETENTION_DAYS} day(s)`);
    return total;
  }

  /**
   * A page of the cursor. `next_cursor` is the last event's seq when the page is full; otherwise
   * the head the page was read at, so a filtered reader does not scan the same events again.
   */
  async list(auth: AuthContext, query: ListEventsQuery): Promise<EventListResponse> {
    const after = query.after ?? '0';
    let siteIds = auth.siteIds;
    if (query.site_id) {
      if (!canSeeSite(auth, query.site_id)) return { data: [], next_cursor: after };
      siteIds = [query.site_id];
    }
    const { events, head } = await this.events.list({
      orgId: auth.orgId,
      siteIds,
      types: query.type,
      gatewayId: query.gateway_id,
      since: query.since ? new Date(query.since) : undefined,
      after,
      retentionDays: this.config.EVENTS_RETENTION_DAYS,
      limit: query.limit,
    });
    const full = events.length === query.limit;
    return { data: events.map(toEventResponse), next_cursor: full ? events[events.length - 1].seq : later(head, after) };
  }
}
