import { Injectable, Logger } from '@nestjs/common';
import { AuthContext, canSeeSite } from '../auth/auth-context';
import { CamerasRepository } from '../cameras/cameras.repository';
import { ApiError } from '../common/api-error';
import { jsonBytes } from '../common/json-limits';
import { isoUtc } from '../common/time';
import { requestedBy } from '../database/change-context';
import { Transactions } from '../database/transactions';
import { GatewaysRepository } from '../gateways/gateways.repository';
import { changedPaths, CONFIG_CAPABILITY, ConfigDocument, documentProblems, MAX_DOCUMENT_BYTES, mergePatch, normalised } from './config-document';
import { etagOf, parseIfMatch, syncState } from './config-rules';
import type { GatewayConfigResponse } from './dto/gateway-config.dto';
import { ConfigRow, GatewayConfigRepository } from './gateway-config.repository';

const EMPTY = { desired: {}, desired_version: 0, reported: null, applied_version: null, rejected_version: null, report_errors: [], reported_at: null };

export function toConfigResponse(row: Omit<ConfigRow, 'gateway_id'>): GatewayConfigResponse {
  const sync = syncState(row);
  return {
    desired: row.desired,
    desired_version: row.desired_version,
    reported: row.reported ?? {},
    applied_version: row.applied_version,
    reported_at: isoUtc(row.reported_at),
    sync,
    errors: sync === 'rejected' ? row.report_errors : [],
  };
}

/** A PUT or PATCH without a body has no document (the body parser only sees bodies that are sent). */
function requireDocument(body: unknown): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw ApiError.validation('Request body must be a JSON object', [{ field: 'body', message: 'must be a JSON object' }]);
  }
}

const tooLarge = () => new ApiError('payload_too_large', `The configuration document exceeds ${MAX_DOCUMENT_BYTES / 1024} KiB`);

/** The REST side of gateway configuration (v1.3): read, replace, merge-patch; with versions and If-Match. */
@Injectable()
export class GatewayConfigService {
  private readonly logger = new Logger(GatewayConfigService.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly configs: GatewayConfigRepository,
    private readonly gateways: GatewaysRepository,
    private readonly cameras: CamerasRepository,
  ) {}

  async get(auth: AuthContext, gatewayId: string): Promise<{ config: GatewayConfigResponse; etag: string }> {
    const gateway = await this.gateways.findById(gatewayId, auth.orgId);
    if (!gateway || !canSeeSite(auth, gateway.site_id)) throw ApiError.notFound('Gateway');
    const row = (await this.configs.find(gateway.id)) ?? EMPTY;
    return { config: toConfigResponse(row), etag: etagOf(row.desired_version) };
  }

  /** PUT: the body is the whole desired document. */
  async put(auth: AuthContext, gatewayId: string, body: unknown, ifMatch: string | undefined): Promise<{ config: GatewayConfigResponse; etag: string }> {
    requireDocument(body);
    if (jsonBytes(body) > MAX_DOCUMENT_BYTES) throw tooLarge();
    return this.write(auth, gatewayId, ifMatch, () => body);
  }

  /** PATCH: an RFC 7396 merge patch of the desired document (`null` deletes a member). */
  async patch(auth: AuthContext, gatewayId: string, patch: unknown, ifMatch: string | undefined): Promise<{ config: GatewayConfigResponse; etag: string }> {
    requireDocument(patch);
    return this.write(auth, gatewayId, ifMatch, (current) => mergePatch(current, patch));
  }

  /**
   * One write: the gateway row locked (with its capabilities), then its configuration row, so
   * two writers of one gateway go one after the other and the second sees the first's version
   * (If-Match: 412 when stale). A document equal to the current one writes nothing (same
   * version, no event); any other is one version up with its `gateway.config_changed` event,
   * in this transaction.
   */
  private async write(auth: AuthContext, gatewayId: string, ifMatch: string | undefined, next: (current: ConfigDocument) => unknown) {
    const expected = ifMatch === undefined ? undefined : parseIfMatch(ifMatch);
    if (expected === undefined && ifMatch !== undefined) {
      throw ApiError.validation('If-Match must be the ETag of the configuration, e.g. "7"', [{ field: 'If-Match', message: 'must be an entity tag such as "7", or *' }]);
    }
    const outcome = await this.transactions.run(async (m) => {
      const gateway = await this.gateways.lockWithCapabilities(gatewayId, auth.orgId, m);
      if (!gateway || !canSeeSite(auth, gateway.site_id)) throw ApiError.notFound('Gateway');
      if (!gateway.capabilities.includes(CONFIG_CAPABILITY)) {
        throw new ApiError('conflict', `The gateway does not support configuration: it has not declared "${CONFIG_CAPABILITY}" in a session frame`);
      }
      const [row] = await this.configs.lockOrCreate([gateway.id], m);
      if (Array.isArray(expected) && !expected.includes(row.desired_version)) {
        throw new ApiError('precondition_failed', `The configuration is at version ${row.desired_version} (ETag ${etagOf(row.desired_version)}); read it again and apply your change to that`);
      }
      const proposed = next(row.desired);
      if (jsonBytes(proposed) > MAX_DOCUMENT_BYTES) throw tooLarge();
      const schemaProblems = documentProblems(proposed);
      if (schemaProblems.length) throw ApiError.validation('The configuration does not fit the schema (GET /api/v1/config-schema)', schemaProblems);
      const doc = normalised(proposed as ConfigDocument);
      const bound = new Set(await this.cameras.idsBoundTo(gateway.id, m));
      const cameraProblems = documentProblems(doc, bound);
      if (cameraProblems.length) throw ApiError.validation('The configuration names cameras not bound to this gateway', cameraProblems);
      const paths = changedPaths(row.desired, doc);
      if (paths.length === 0) return { row, paths };
      return { row: await this.configs.writeDesired(gateway.id, doc, { ...requestedBy(auth), changed_paths: paths }, m), paths };
    });
    if (outcome.paths.length) {
      this.logger.log(`org ${auth.orgId}: gateway ${gatewayId} configuration v${outcome.row.desired_version} (${outcome.paths.length} path(s) changed, key ${auth.keyId})`);
    }
    return { config: toConfigResponse(outcome.row), etag: etagOf(outcome.row.desired_version) };
  }
}
