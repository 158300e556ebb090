import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ReportQueue } from '../common/report-queue';
import { Transactions } from '../database/transactions';
import { Metrics } from '../metrics/metrics';
import { Replacement, ReplacementsRepository } from './replacements.repository';

/**
 * Cloned-key detection on the live replacement path (v1.3). Every connection this instance ends
 * because a newer one of its gateway replaced it (4409) is recorded with who it was — client
 * address and boot id — and which connection replaced it; the records of every instance meet in
 * gateway_replacements. A replacement between two different boxes (address or boot id differ) is
 * known once the replacing connection is replaced in turn; three of them within 10 minutes write
 * one `gateway.credential_conflict` (at most one per gateway per 10 minutes). One box
 * reconnecting often replaces itself — same address, same boot id — and never conflicts.
 * Records are written in batches (ReportQueue: a write failed by the database keeps its batch).
 */
@Injectable()
export class ReplacementLog implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ReplacementLog.name);
  private readonly queue: ReportQueue<Replacement>;

  constructor(
    private readonly replacements: ReplacementsRepository,
    private readonly transactions: Transactions,
    private readonly metrics: Metrics,
  ) {
    this.queue = new ReportQueue('connection replacements', (batch) => this.write(batch), this.logger);
  }

  onModuleInit(): void {
    this.queue.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.flush();
    await this.queue.stop();
  }

  record(replacement: Replacement): void {
    this.metrics.replacements.inc();
    // A full queue (the database away for long) loses only detection, never a connection.
    if (!this.queue.push(replacement)) this.logger.warn(`replacement of gateway ${replacement.gatewayId}'s connection not recorded: too many waiting`);
  }

  private async write(batch: Replacement[]): Promise<void> {
    const conflicts = await this.transactions.run(async (m) => {
      await this.replacements.insert(batch, m);
      await this.replacements.purge(m);
      return this.replacements.recordConflicts([...new Set(batch.map((r) => r.gatewayId))], m);
    });
    for (const c of conflicts) {
      this.metrics.credentialConflicts.inc();
      const peers = c.peers.map((p) => `${p.peer_address}${p.boot_id ? ` (boot ${p.boot_id})` : ''}`).join(', ');
      this.logger.warn(`gateway ${c.gateway_id}: one key is used by more than one box (${peers}); gateway.credential_conflict written`);
    }
  }
}
