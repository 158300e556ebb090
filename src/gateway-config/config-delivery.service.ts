import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { type FrameLink, newerConnection } from '../common/frame-link';
import { InstanceIdentity } from '../common/instance-identity';
import { PeriodicTask } from '../common/periodic-task';
import { ReportQueue } from '../common/report-queue';
import { Transactions } from '../database/transactions';
import { Metrics } from '../metrics/metrics';
import { SignalBus } from '../signals/signal-bus';
import { CONFIG_CAPABILITY } from './config-document';
import { ConfigReport, judgeReport } from './config-rules';
import { ConfigReportChange, GatewayConfigRepository } from './gateway-config.repository';

/** How often each instance looks for gateways it holds that are behind: heals a `config.changed` signal lost with the listen connection. */
export const CONFIG_POLL_MS = 10_000;
const MAX_PER_STATEMENT = 1_000;

interface Target {
  link: FrameLink;
  /** The newest version this connection is known to have: its session's config_version, a version it reported, or one sent to it. */
  known: number;
}

/**
 * Pushes desired configuration to the gateways whose sockets this instance holds, and writes
 * what they report (v1.3). A gateway is a target once its `session` declares `config.v1`; it is
 * sent the whole latest document (`config {version, desired}`) when its desired version is
 * newer than the newest it is known to have — after its session, on a `config.changed` signal
 * from any instance, after a resync, and by a poll every 10 s — so versions in between are
 * skipped and none older than one it has is ever sent. Reports are judged against the row
 * locked (config-rules.ts) and written in one transaction per batch (ReportQueue: a write
 * failed by the database keeps its batch).
 */
@Injectable()
export class ConfigDelivery implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ConfigDelivery.name);
  private readonly targets = new Map<string, Target>();
  private readonly due = new Set<string>();
  private readonly reports: ReportQueue<{ link: FrameLink; report: ConfigReport }>;
  private readonly pushes: PeriodicTask;
  private lastPoll = 0;

  constructor(
    private readonly configs: GatewayConfigRepository,
    private readonly transactions: Transactions,
    private readonly bus: SignalBus,
    private readonly instance: InstanceIdentity,
    private readonly metrics: Metrics,
  ) {
    metrics.sample(metrics.configTargets, () => this.targets.size);
    this.pushes = new PeriodicTask('config push', CONFIG_POLL_MS, () => this.push(), this.logger);
    this.reports = new ReportQueue('configuration reports', (batch) => this.writeReports(batch), this.logger);
  }

  onModuleInit(): void {
    this.bus.subscribe((signal) => {
      if (signal.type !== 'config.changed') return;
      const local = signal.gatewayIds.filter((id) => this.targets.has(id));
      local.forEach((id) => this.due.add(id));
      if (local.length) void this.pushes.runNow();
    });
    // Signals missed while the listen connection was down: every target is looked at again.
    this.bus.onResync(() => {
      this.targets.forEach((_t, id) => this.due.add(id));
      return this.pushes.runNow();
    });
    this.pushes.start();
    this.reports.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.pushes.stop(), this.reports.stop()]);
  }

  /** A `session` frame: a connection that declared config.v1 is sent its document if it is behind. */
  sessionStarted(link: FrameLink, session: { capabilities: string[]; config_version?: number }): void {
    const current = this.targets.get(link.gatewayId);
    if (current && current.link !== link && newerConnection(current.link.seq, link.seq)) return;
    if (!session.capabilities.includes(CONFIG_CAPABILITY)) return this.detached(link);
    this.targets.set(link.gatewayId, { link, known: session.config_version ?? 0 });
    this.due.add(link.gatewayId);
    void this.pushes.runNow();
  }

  detached(link: FrameLink): void {
    if (this.targets.get(link.gatewayId)?.link !== link) return;
    this.targets.delete(link.gatewayId);
    this.due.delete(link.gatewayId);
  }

  report(link: FrameLink, report: ConfigReport): void {
    if (!this.reports.push({ link, report })) link.sendError('The service cannot take configuration reports right now; report again after reconnecting');
  }

  private async push(): Promise<void> {
    if (Date.now() - this.lastPoll >= CONFIG_POLL_MS && this.targets.size > 0) {
      this.lastPoll = Date.now();
      for (const id of await this.configs.behindHere(this.instance.id)) if (this.targets.has(id)) this.due.add(id);
    }
    if (this.due.size === 0) return;
    const batch = [...this.due].slice(0, MAX_PER_STATEMENT);
    batch.forEach((id) => this.due.delete(id));
    let rows;
    try {
      rows = await this.configs.desiredOf(batch);
    } catch (e) {
      batch.forEach((id) => this.targets.has(id) && this.due.add(id));
      throw e;
    }
    for (const row of rows) {
      const target = this.targets.get(row.gateway_id);
      if (!target || row.desired_version <= target.known) continue;
      target.link.send('config', { version: row.desired_version, desired: row.desired });
      target.known = row.desired_version;
      this.metrics.configsSent.inc();
    }
    if (this.due.size > 0) void this.pushes.runNow();
  }

  /** One batch (ReportQueue): judged against the rows as locked and written in one transaction, then answered. */
  private async writeReports(batch: { link: FrameLink; report: ConfigReport }[]): Promise<void> {
    const { ahead, outcomes } = await this.transactions.run(async (m) => {
      const rows = new Map((await this.configs.lockOrCreate([...new Set(batch.map((r) => r.link.gatewayId))], m)).map((r) => [r.gateway_id, r]));
      const changes = new Map<string, ConfigReportChange>();
      const refused: { link: FrameLink; report: ConfigReport; desired: number }[] = [];
      const judged: string[] = [];
      for (const { link, report } of batch) {
        const row = rows.get(link.gatewayId);
        if (!row) continue; // the gateway was deleted meanwhile
        const outcome = judgeReport(row, report);
        judged.push('ahead' in outcome ? 'ahead' : 'ignored' in outcome ? 'ignored' : report.status);
        if ('ahead' in outcome) refused.push({ link, report, desired: row.desired_version });
        else if ('change' in outcome) {
          changes.set(row.gateway_id, outcome.change);
          rows.set(row.gateway_id, { ...row, ...outcome.change });
        }
      }
      if (changes.size) await this.configs.applyReports([...changes.values()], m);
      return { ahead: refused, outcomes: judged };
    });
    outcomes.forEach((outcome) => this.metrics.configReports.inc({ outcome }));
    const refused = new Set(ahead.map((a) => a.report));
    for (const { link, report } of batch) {
      const target = this.targets.get(link.gatewayId);
      if (target?.link === link && !refused.has(report)) target.known = Math.max(target.known, report.version);
    }
    for (const { link, report, desired } of ahead) {
      link.sendError(`Configuration version ${report.version} is ahead of the desired version ${desired}`, [{ field: 'version', message: `must be at most ${desired}` }]);
    }
  }
}
