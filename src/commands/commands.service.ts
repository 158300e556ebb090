import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AuthContext, canSeeSite } from '../auth/auth-context';
import { CamerasRepository } from '../cameras/cameras.repository';
import { ApiError } from '../common/api-error';
import { isoUtc } from '../common/time';
import { requestedBy } from '../database/change-context';
import { Transactions } from '../database/transactions';
import { Metrics } from '../metrics/metrics';
import { GatewaysRepository } from '../gateways/gateways.repository';
import {
  COMMANDS_CAPABILITY,
  MAX_UNFINISHED_PER_GATEWAY,
  ONLINE_NOW_DELIVERY_S,
  UNFINISHED_STATUSES,
  validateParams,
} from './command-rules';
import { CommandWaits } from './command-waits';
import { CommandRow, CommandsRepository } from './commands.repository';
import { CommandListResponse, CommandResponse, CreateCommandDto, ListCommandsQuery } from './dto/command.dto';

const DEFAULT_TIMEOUT_S = 60;
const DEFAULT_EXPIRES_IN_S = 300;
/** 1–64 printable ASCII characters, not all blank. */
const IDEMPOTENCY_KEY = /^(?=.*[!-~])[ -~]{1,64}$/;

export function toCommandResponse(row: CommandRow): CommandResponse {
  return {
    id: row.id,
    gateway_id: row.gateway_id,
    type: row.type,
    params: row.params,
    status: row.status,
    attempt: row.attempt,
    timeout_s: row.timeout_s,
    created_at: isoUtc(row.created_at),
    expires_at: isoUtc(row.expires_at),
    sent_at: isoUtc(row.sent_at),
    accepted_at: isoUtc(row.accepted_at),
    completed_at: isoUtc(row.completed_at),
    result: row.result,
    error: row.error,
    late_result: row.late_result,
    actor: row.actor,
  };
}

const finished = (row: CommandRow) => !UNFINISHED_STATUSES.includes(row.status);

/** The REST side of remote commands (v1.3): create, read (and wait), list, cancel. */
@Injectable()
export class CommandsService {
  private readonly logger = new Logger(CommandsService.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly commands: CommandsRepository,
    private readonly gateways: GatewaysRepository,
    private readonly cameras: CamerasRepository,
    private readonly waits: CommandWaits,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Queues a command for the gateway (the instance holding its socket is told at commit, by the
   * insert's trigger). The gateway row is locked first (with its capabilities, in one statement), so the 16-unfinished limit and the
   * Idempotency-Key hold however many of the same request arrive at once. `created` is false
   * when the key named a command made earlier with the same request (answered 200).
   */
  async create(auth: AuthContext, gatewayId: string, dto: CreateCommandDto, idempotencyKey: string | undefined): Promise<{ command: CommandResponse; created: boolean }> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw ApiError.validation('Idempotency-Key must be 1 to 64 printable ASCII characters', [{ field: 'Idempotency-Key', message: 'must be 1 to 64 printable ASCII characters' }]);
    }
    const params = validateParams(dto.type, dto.params);
    if (!params.ok) throw ApiError.validation(`Invalid params for ${dto.type}`, params.details);
    const timeoutS = dto.timeout_s ?? DEFAULT_TIMEOUT_S;
    const expiresInS = dto.expires_in_s ?? DEFAULT_EXPIRES_IN_S;
    const requestHash = createHash('sha256')
      .update(JSON.stringify({ gatewayId, type: dto.type, params: params.value, timeoutS, expiresInS }))
      .digest('hex');
    const outcome = await this.transactions.run(async (m) => {
      const gateway = await this.gateways.lockWithCapabilities(gatewayId, auth.orgId, m);
      if (!gateway || !canSeeSite(auth, gateway.site_id)) throw ApiError.notFound('Gateway');
      const replay = async () => {
        const earlier = await this.commands.findByIdempotencyKey(auth.orgId, idempotencyKey!, m);
        if (!earlier) return undefined;
        if (earlier.request_hash !== requestHash) {
          throw new ApiError('conflict', `This Idempotency-Key was used in the last 24 h for a different request (command ${earlier.id})`);
        }
        return { row: earlier, created: false };
      };
      if (idempotencyKey !== undefined) {
        await this.commands.releaseExpiredIdempotencyKey(auth.orgId, idempotencyKey, m);
        const earlier = await replay();
        if (earlier) return earlier;
      }
      if (gateway.status === 'disabled') throw new ApiError('conflict', 'The gateway is disabled: enable it before sending it commands');
      if (!gateway.capabilities.includes(COMMANDS_CAPABILITY)) {
        throw new ApiError('conflict', `The gateway does not support commands: it has not declared "${COMMANDS_CAPABILITY}" in a session frame`);
      }
      if (expiresInS === 0 && gateway.status !== 'online') throw new ApiError('conflict', `The gateway is ${gateway.status}; expires_in_s 0 sends only to a gateway online now`);
      if (dto.type === 'camera.reboot') {
        const camera = await this.cameras.findInOrg(params.value.camera_id as string, auth.orgId);
        if (camera?.gatewayId !== gateway.id) {
          throw ApiError.validation('camera.reboot names a camera not bound to this gateway', [{ field: 'params.camera_id', message: 'must be a camera bound to this gateway' }]);
        }
      }
      const unfinished = await this.commands.unfinishedOf(gateway.id, m);
      if (unfinished.n >= MAX_UNFINISHED_PER_GATEWAY) {
        throw ApiError.rateLimited(`The gateway has ${unfinished.n} unfinished commands (at most ${MAX_UNFINISHED_PER_GATEWAY}); retry when one ends`, unfinished.firstEndS ?? 1);
      }
      const row = await this.commands.insert(
        {
          orgId: auth.orgId,
          gatewayId: gateway.id,
          type: dto.type,
          params: params.value,
          timeoutS,
          expiresInS: expiresInS === 0 ? ONLINE_NOW_DELIVERY_S : expiresInS,
          actor: { key_id: auth.keyId, key_name: auth.keyName ?? null },
          idempotencyKey: idempotencyKey ?? null,
          requestHash: idempotencyKey !== undefined ? requestHash : null,
        },
        m,
      );
      // No row: the key was taken meanwhile by a request for another gateway of the org (this one's row lock did not serialize it).
      if (row) return { row, created: true };
      const earlier = await replay();
      if (!earlier) throw new ApiError('conflict', 'This Idempotency-Key is being used by another request; retry');
      return earlier;
    });
    if (outcome.created) this.logger.log(`org ${auth.orgId}: command ${outcome.row.id} (${dto.type}) queued for gateway ${gatewayId} (key ${auth.keyId})`);
    return { command: toCommandResponse(outcome.row), created: outcome.created };
  }

  /** One command; with `waitS`, held until it is finished or the wait ends. */
  async get(auth: AuthContext, id: string, waitS: number): Promise<CommandResponse> {
    let row = await this.findVisible(auth, id);
    const until = Date.now() + waitS * 1000;
    while (!finished(row) && Date.now() < until && !this.waits.stopping) {
      await this.waits.next(id, until - Date.now());
      row = await this.findVisible(auth, id);
    }
    return toCommandResponse(row);
  }

  async list(auth: AuthContext, gatewayId: string, query: ListCommandsQuery): Promise<CommandListResponse> {
    const gateway = await this.gateways.findById(gatewayId, auth.orgId);
    if (!gateway || !canSeeSite(auth, gateway.site_id)) throw ApiError.notFound('Gateway');
    const after = query.after ?? '0';
    const rows = await this.commands.list(gateway.id, query.status ?? null, after, query.limit);
    return { data: rows.map(toCommandResponse), next_cursor: rows.length > 0 ? rows[rows.length - 1].position : after };
  }

  /** Only a queued command can be canceled: one sent may already be running on the gateway. */
  async cancel(auth: AuthContext, id: string): Promise<CommandResponse> {
    const row = await this.findVisible(auth, id);
    const canceled = await this.transactions.run((m) => this.commands.cancel(row.id, m), requestedBy(auth));
    if (!canceled) {
      const now = await this.findVisible(auth, id);
      throw new ApiError('conflict', `Only a queued command can be canceled; this one is ${now.status}`);
    }
    this.metrics.commandsEnded.inc({ status: 'canceled' });
    this.logger.log(`org ${auth.orgId}: command ${id} canceled (key ${auth.keyId})`);
    return toCommandResponse(canceled);
  }

  /** A command of another org, or of a gateway outside the key's sites, does not exist for this caller (404). */
  private async findVisible(auth: AuthContext, id: string): Promise<CommandRow> {
    const row = await this.commands.find(id, auth.orgId);
    if (!row || !canSeeSite(auth, row.site_id)) throw ApiError.notFound('Command');
    return row;
  }
}
