import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { type FrameLink, newerConnection } from '../common/frame-link';
import { InstanceIdentity } from '../common/instance-identity';
import { PeriodicTask } from '../common/periodic-task';
import { ReportQueue } from '../common/report-queue';
import { isoUtc } from '../common/time';
import { AppConfig } from '../config/config';
import { Transactions } from '../database/transactions';
import { Metrics } from '../metrics/metrics';
import { SignalBus } from '../signals/signal-bus';
import { CommandAck, CommandChange, COMMANDS_CAPABILITY, CommandResultReport, onAck, onResult, ReportedCommand } from './command-rules';
import { CommandsRepository, DispatchTarget, ReportChange } from './commands.repository';

/** A gateway's socket as commands see it; only the gateway's current connection is sent commands. */
export type CommandLink = FrameLink;

/** How often each instance looks for queued commands of the gateways it holds: heals a lost `commands.queued` signal. */
export const DELIVERY_POLL_MS = 5_000;
const SWEEP_EVERY_MS = 1_000;
/** Purge finished commands past retention every this many sweeps (about hourly). */
const PURGE_EVERY_SWEEPS = 3_600;
const MAX_TARGETS_PER_STATEMENT = 1_000;

export type Report = { link: CommandLink; ack: CommandAck; result?: undefined } | { link: CommandLink; result: CommandResultReport; ack?: undefined };

/**
 * Delivers commands to the gateways whose sockets this instance holds, and writes what they
 * answer. The row is the truth across instances:
 * - Delivery: a gateway is a target once it has sent a `session` declaring `commands.v1`. A
 *   target's commands are claimed (SQL_DISPATCH: only by its current connection) and sent when
 *   one is queued (the insert's `commands.queued` signal), when a session comes (which also
 *   sends again what was sent before, `attempt` + 1, or judges a reboot), and by a poll every
 *   5 s (a lost signal). Claims of every target waiting go in one statement.
 * - Reports: `command_ack` and `command_result` frames are gathered and written in one
 *   transaction per run, each judged by the state machine (command-rules.ts) against the row as
 *   it is once locked; a result is answered `command_result_received` only after that commit
 *   (ReportQueue: a write failed by the database keeps its batch).
 * - The sweep (every instance, SKIP LOCKED) expires queued commands and times out running ones.
 */
@Injectable()
export class CommandDelivery implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(CommandDelivery.name);
  private readonly targets = new Map<string, { link: CommandLink; bootId: string }>();
  /** Targets to claim for; true: a new session came (resend). */
  private readonly due = new Map<string, boolean>();
  private readonly reports: ReportQueue<Report>;
  private readonly dispatches: PeriodicTask;
  private readonly sweeps: PeriodicTask;
  private lastPoll = 0;
  private sweepsSincePurge = 0;

  constructor(
    private readonly commands: CommandsRepository,
    private readonly transactions: Transactions,
    private readonly bus: SignalBus,
    private readonly instance: InstanceIdentity,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    metrics.sample(metrics.commandTargets, () => this.targets.size);
    this.reports = new ReportQueue('command reports', (batch) => this.writeReports(batch), this.logger);
    metrics.sample(metrics.commandReportsWaiting, () => this.reports.size);
    this.dispatches = new PeriodicTask('command delivery', DELIVERY_POLL_MS, () => this.dispatch(), this.logger);
    this.sweeps = new PeriodicTask('command sweep', SWEEP_EVERY_MS, () => this.sweep(), this.logger);
  }

  onModuleInit(): void {
    this.bus.subscribe((signal) => {
      if (signal.type !== 'commands.queued') return;
      let any = false;
      for (const id of signal.gatewayIds) {
        if (!this.targets.has(id)) continue;
        this.due.set(id, this.due.get(id) ?? false);
        any = true;
      }
      if (any) void this.dispatches.runNow();
    });
    this.bus.onResync(() => this.dispatches.runNow());
    this.dispatches.start();
    this.reports.start();
    this.sweeps.start();
  }

  /** The connection sent a `session` frame: if it declared commands, it is sent what waits, and again what was sent before. */
  sessionStarted(link: CommandLink, session: { boot_id: string; capabilities: string[] }): void {
    if (!session.capabilities.includes(COMMANDS_CAPABILITY)) {
      this.detached(link);
      return;
    }
    const current = this.targets.get(link.gatewayId);
    if (current && current.link !== link && newerConnection(current.link.seq, link.seq)) return;
    this.targets.set(link.gatewayId, { link, bootId: session.boot_id });
    this.due.set(link.gatewayId, true);
    void this.dispatches.runNow();
  }

  /** The connection closed. */
  detached(link: CommandLink): void {
    if (this.targets.get(link.gatewayId)?.link !== link) return;
    this.targets.delete(link.gatewayId);
    this.due.delete(link.gatewayId);
  }

  ack(link: CommandLink, ack: CommandAck): void {
    this.enqueue({ link, ack });
  }

  result(link: CommandLink, result: CommandResultReport): void {
    this.enqueue({ link, result });
  }

  private enqueue(report: Report): void {
    if (!this.reports.push(report)) report.link.sendError('The service cannot take command reports right now; send it again after reconnecting');
  }

  private async dispatch(): Promise<void> {
    if (Date.now() - this.lastPoll >= DELIVERY_POLL_MS && this.targets.size > 0) {
      this.lastPoll = Date.now();
      for (const id of await this.commands.queuedHere(this.instance.id)) {
        if (this.targets.has(id) && !this.due.has(id)) this.due.set(id, false);
      }
    }
    if (this.due.size === 0) return;
    const batch: DispatchTarget[] = [];
    for (const [gatewayId, resend] of this.due) {
      if (batch.length >= MAX_TARGETS_PER_STATEMENT) break;
      this.due.delete(gatewayId);
      const target = this.targets.get(gatewayId);
      if (target) batch.push({ gateway_id: gatewayId, seq: target.link.seq, boot_id: target.bootId, resend });
    }
    if (batch.length === 0) return;
    let claimed;
    try {
      claimed = await this.commands.dispatch(batch);
    } catch (e) {
      // Asked again at the next run; a resend stays a resend.
      for (const t of batch) if (this.targets.has(t.gateway_id)) this.due.set(t.gateway_id, (this.due.get(t.gateway_id) ?? false) || t.resend);
      throw e;
    }
    for (const c of claimed) {
      if (c.status !== 'sent' && c.status !== 'accepted') {
        this.metrics.commandsEnded.inc({ status: c.status });
        this.logger.log(`command ${c.id} (${c.type}) ${c.status}: gateway ${c.gateway_id} came back with a new boot id`);
        continue;
      }
      // A target gone since the claim: the command stays sent, and is sent again after the gateway's next session.
      const target = this.targets.get(c.gateway_id);
      if (!target) continue;
      target.link.send('command', { id: c.id, type: c.type, params: c.params, attempt: c.attempt, deadline: isoUtc(c.deadline_at) });
      this.metrics.commandsSent.inc();
    }
    if (this.due.size > 0) void this.dispatches.runNow();
  }

  /** One batch (ReportQueue): judged against the rows as locked and written in one transaction, then answered. */
  private async writeReports(batch: Report[]): Promise<void> {
    const outcome = await this.transactions.run(async (m) => {
      const keys = new Map<string, { id: string; gateway_id: string }>();
      for (const r of batch) {
        const id = (r.ack ?? r.result).id;
        keys.set(`${id}/${r.link.gatewayId}`, { id, gateway_id: r.link.gatewayId });
      }
      const locked = await this.commands.lockReported([...keys.values()], m);
      const changes = judge(locked, batch);
      if (changes.length > 0) await this.commands.applyReports(changes, m);
      return { known: new Set(locked.map((c) => `${c.id}/${c.gatewayId}`)), changes };
    });
    const { known, changes } = outcome;
    for (const c of changes) if (c.setCompletedAt && c.status) this.metrics.commandsEnded.inc({ status: c.status });
    const answered = new Set<string>();
    for (const r of batch) {
      const id = (r.ack ?? r.result).id;
      if (!known.has(`${id}/${r.link.gatewayId}`)) r.link.sendError(`Unknown command ${id}`, [{ field: 'id', message: 'is not a command of this gateway' }]);
      else if (r.result && !answered.has(`${id}/${r.link.seq}`)) {
        answered.add(`${id}/${r.link.seq}`);
        r.link.send('command_result_received', { id });
      }
    }
  }

  private async sweep(): Promise<void> {
    const ended = await this.commands.sweep();
    for (const status of ended) this.metrics.commandsEnded.inc({ status });
    if (ended.length > 0) {
      const expired = ended.filter((s) => s === 'expired').length;
      this.logger.log(`${expired} command(s) expired, ${ended.length - expired} timed out`);
    }
    if (++this.sweepsSincePurge >= PURGE_EVERY_SWEEPS) {
      this.sweepsSincePurge = 0;
      const purged = await this.commands.purgeFinished(this.config.EVENTS_RETENTION_DAYS);
      if (purged > 0) this.logger.log(`purged ${purged} finished command(s) older than ${this.config.EVENTS_RETENTION_DAYS} days`);
    }
  }

  /** Writes the reports that arrived before the sockets close. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.reports.flush();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.dispatches.stop(), this.reports.stop(), this.sweeps.stop()]);
  }
}

/**
 * Applies the reports in arrival order to the commands as locked, each seeing the effect of the
 * one before (an ack and its result in one batch); one change per command.
 */
export function judge(locked: (ReportedCommand & { gatewayId: string })[], reports: Report[]): ReportChange[] {
  const state = new Map(locked.map((c) => [c.id, { ...c }]));
  const changes = new Map<string, CommandChange>();
  for (const r of reports) {
    const command = state.get((r.ack ?? r.result).id);
    if (!command || command.gatewayId !== r.link.gatewayId) continue;
    const change = r.ack ? onAck(command, r.ack) : onResult(command, r.result);
    if (!change) continue;
    changes.set(command.id, { ...changes.get(command.id), ...change });
    if (change.status) command.status = change.status;
    if (change.lateResult) command.hasLateResult = true;
  }
  return [...changes].map(([id, change]) => ({ id, ...change }));
}
