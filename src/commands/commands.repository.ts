import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Sql } from '../database/sql';
import { GenerateSql, IN_TRANSACTION, SAMPLE_HASH, SAMPLE_UUID } from '../database/sql-snapshot';
import type { CommandChange, CommandError, CommandParams, CommandStatus, CommandType, ReportedCommand } from './command-rules';
import {
  SQL_APPLY_REPORTS,
  SQL_CANCEL_COMMAND,
  SQL_DISPATCH,
  SQL_FIND_BY_IDEMPOTENCY_KEY,
  SQL_FIND_COMMAND,
  SQL_INSERT_COMMAND,
  SQL_LIST_COMMANDS,
  SQL_LOCK_REPORTED,
  SQL_PURGE_FINISHED,
  SQL_QUEUED_HERE,
  SQL_RELEASE_IDEMPOTENCY_KEY,
  SQL_SWEEP,
  SQL_UNFINISHED_OF_GATEWAY,
} from './commands.sql';

/** A command as the API shows it (timestamps as Dates, position as text). */
export interface CommandRow {
  id: string;
  gateway_id: string;
  org_id: string;
  type: CommandType;
  params: CommandParams;
  status: CommandStatus;
  attempt: number;
  timeout_s: number;
  created_at: Date;
  expires_at: Date;
  sent_at: Date | null;
  deadline_at: Date | null;
  accepted_at: Date | null;
  completed_at: Date | null;
  result: Record<string, unknown> | null;
  error: CommandError | null;
  late_result: Record<string, unknown> | null;
  actor: { key_id: string; key_name: string | null };
  position: string;
  request_hash: string | null;
}

export interface NewCommand {
  orgId: string;
  gatewayId: string;
  type: CommandType;
  params: CommandParams;
  timeoutS: number;
  expiresInS: number;
  actor: { key_id: string; key_name: string | null };
  idempotencyKey: string | null;
  requestHash: string | null;
}

/** A connection this instance holds, as the dispatch claims for it. */
export interface DispatchTarget {
  gateway_id: string;
  seq: string;
  boot_id: string;
  /** A new session came on it: what was sent before is sent again (or, for a reboot, judged). */
  resend: boolean;
}

/** A command the dispatch claimed: to be sent unless it finished (a reboot that came back). */
export interface Dispatched {
  id: string;
  gateway_id: string;
  type: CommandType;
  params: CommandParams;
  status: CommandStatus;
  attempt: number;
  deadline_at: Date;
}

/** A change the rules decided, keyed by command. */
export interface ReportChange extends CommandChange {
  id: string;
}

const SAMPLE_NEW: NewCommand = {
  orgId: SAMPLE_UUID,
  gatewayId: SAMPLE_UUID,
  type: 'network.probe',
  params: { host: 'nvr-1.local', port: 554 },
  timeoutS: 60,
  expiresInS: 300,
  actor: { key_id: SAMPLE_UUID, key_name: 'ops' },
  idempotencyKey: 'reboot-2026-12-04',
  requestHash: SAMPLE_HASH,
};

/** The gateway_commands table. */
@Injectable()
export class CommandsRepository {
  constructor(private readonly sql: Sql) {}

  /** undefined when the Idempotency-Key is held by another command (read it with findByIdempotencyKey). */
  @GenerateSql([SAMPLE_NEW, IN_TRANSACTION])
  async insert(c: NewCommand, manager: EntityManager): Promise<CommandRow | undefined> {
    const [row] = await this.sql.rows<CommandRow>(
      SQL_INSERT_COMMAND,
      [c.orgId, c.gatewayId, c.type, c.params, c.timeoutS, c.expiresInS, c.actor, c.idempotencyKey, c.requestHash],
      manager,
    );
    return row;
  }

  @GenerateSql([SAMPLE_UUID, 'reboot-2026-12-04', IN_TRANSACTION])
  async releaseExpiredIdempotencyKey(orgId: string, key: string, manager: EntityManager): Promise<void> {
    await this.sql.run(SQL_RELEASE_IDEMPOTENCY_KEY, [orgId, key], manager);
  }

  @GenerateSql([SAMPLE_UUID, 'reboot-2026-12-04', IN_TRANSACTION])
  async findByIdempotencyKey(orgId: string, key: string, manager: EntityManager): Promise<CommandRow | undefined> {
    const [row] = await this.sql.rows<CommandRow>(SQL_FIND_BY_IDEMPOTENCY_KEY, [orgId, key], manager);
    return row;
  }

  /** How many are unfinished, and in how many seconds the first of them must end. */
  @GenerateSql([SAMPLE_UUID, IN_TRANSACTION])
  async unfinishedOf(gatewayId: string, manager: EntityManager): Promise<{ n: number; firstEndS: number | null }> {
    const [row] = await this.sql.rows<{ n: number; first_end_s: number | null }>(SQL_UNFINISHED_OF_GATEWAY, [gatewayId], manager);
    return { n: row.n, firstEndS: row.first_end_s };
  }

  @GenerateSql([SAMPLE_UUID, SAMPLE_UUID])
  async find(id: string, orgId: string): Promise<(CommandRow & { site_id: string }) | undefined> {
    const [row] = await this.sql.rows<CommandRow & { site_id: string }>(SQL_FIND_COMMAND, [id, orgId]);
    return row;
  }

  @GenerateSql([SAMPLE_UUID, null, '0', 100], [SAMPLE_UUID, 'queued', '1043', 100])
  list(gatewayId: string, status: CommandStatus | null, after: string, limit: number): Promise<CommandRow[]> {
    return this.sql.rows<CommandRow>(SQL_LIST_COMMANDS, [gatewayId, status, after, limit]);
  }

  /** The canceled command; undefined when it was not queued. */
  @GenerateSql([SAMPLE_UUID, IN_TRANSACTION])
  async cancel(id: string, manager: EntityManager): Promise<CommandRow | undefined> {
    const [row] = await this.sql.rows<CommandRow>(SQL_CANCEL_COMMAND, [id], manager);
    return row;
  }

  @GenerateSql([[{ gateway_id: SAMPLE_UUID, seq: '7', boot_id: SAMPLE_UUID, resend: true }]])
  dispatch(targets: DispatchTarget[]): Promise<Dispatched[]> {
    return this.sql.rows<Dispatched>(SQL_DISPATCH, [JSON.stringify(targets)]);
  }

  @GenerateSql([SAMPLE_UUID])
  async queuedHere(instanceId: string): Promise<string[]> {
    return (await this.sql.rows<{ gateway_id: string }>(SQL_QUEUED_HERE, [instanceId])).map((r) => r.gateway_id);
  }

  /** The reported commands that are the reporting gateway's, locked in id order. */
  @GenerateSql([[{ id: SAMPLE_UUID, gateway_id: SAMPLE_UUID }], IN_TRANSACTION])
  async lockReported(reports: { id: string; gateway_id: string }[], manager: EntityManager): Promise<(ReportedCommand & { gatewayId: string })[]> {
    const rows = await this.sql.rows<{ id: string; gateway_id: string; type: CommandType; status: CommandStatus; has_late_result: boolean }>(
      SQL_LOCK_REPORTED,
      [JSON.stringify(reports)],
      manager,
    );
    return rows.map((r) => ({ id: r.id, gatewayId: r.gateway_id, type: r.type, status: r.status, hasLateResult: r.has_late_result }));
  }

  @GenerateSql([[{ id: SAMPLE_UUID, status: 'succeeded', setCompletedAt: true, result: { reachable: true, latency_ms: 3 } }], IN_TRANSACTION])
  async applyReports(changes: ReportChange[], manager: EntityManager): Promise<void> {
    const rows = changes.map((c) => ({
      id: c.id,
      status: c.status ?? null,
      set_accepted: c.setAcceptedAt ?? false,
      set_completed: c.setCompletedAt ?? false,
      set_result: c.result !== undefined,
      result: c.result ?? null,
      error: c.error ?? null,
      late: c.lateResult ?? null,
    }));
    await this.sql.run(SQL_APPLY_REPORTS, [JSON.stringify(rows)], manager);
  }

  /** The statuses it set (expired, timed_out), one per command. */
  @GenerateSql([])
  async sweep(): Promise<CommandStatus[]> {
    return (await this.sql.rows<{ status: CommandStatus }>(SQL_SWEEP)).map((r) => r.status);
  }

  /** How many it deleted. */
  @GenerateSql([90])
  async purgeFinished(retentionDays: number): Promise<number> {
    return (await this.sql.run(SQL_PURGE_FINISHED, [retentionDays])).affected;
  }
}
