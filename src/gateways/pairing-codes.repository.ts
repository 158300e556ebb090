import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Sql } from '../database/sql';
import { SQL_ACTIVE_CODES, SQL_CODE_IS_LIVE, SQL_FIND_CODE_FOR_REDEMPTION, SQL_INSERT_CODE, SQL_LOCK_CODE, SQL_REDEEM_CODE } from './gateway.sql';
import { GenerateSql, IN_TRANSACTION, SAMPLE_UUID } from '../database/sql-snapshot';

export interface CodeForRedemption {
  id: string;
  gateway_id: string;
  org_id: string;
  redeemed_at: Date | null;
  expired: boolean;
}

/** The pairing_codes table: a gateway's one-time codes. Every method runs inside the caller's transaction. */
@Injectable()
export class PairingCodesRepository {
  constructor(private readonly sql: Sql) {}

  /** Active codes of the org (unredeemed, unexpired, gateway not disabled) and seconds until the first expires. */
  @GenerateSql([SAMPLE_UUID, IN_TRANSACTION])
  async activeCodes(orgId: string, manager: EntityManager): Promise<{ n: number; firstExpiryS: number | null }> {
    const [row] = await this.sql.rows<{ n: number; first_expiry_s: number | null }>(SQL_ACTIVE_CODES, [orgId], manager);
    return { n: row.n, firstExpiryS: row.first_expiry_s };
  }

  /** Until the transaction ends, a concurrent draw of the same characters waits, then sees ours. */
  @GenerateSql(['A7B3CX', IN_TRANSACTION])
  async lockCode(code: string, manager: EntityManager): Promise<void> {
    await this.sql.run(SQL_LOCK_CODE, [code], manager);
  }

  @GenerateSql(['A7B3CX', IN_TRANSACTION])
  async isLive(code: string, manager: EntityManager): Promise<boolean> {
    return (await this.sql.rows(SQL_CODE_IS_LIVE, [code], manager)).length > 0;
  }

  /** Returns when it expires. */
  @GenerateSql([SAMPLE_UUID, SAMPLE_UUID, 'A7B3CX', 600, IN_TRANSACTION])
  async insert(orgId: string, gatewayId: string, code: string, ttlS: number, manager: EntityManager): Promise<Date> {
    const [row] = await this.sql.rows<{ expires_at: Date }>(SQL_INSERT_CODE, [orgId, gatewayId, code, ttlS], manager);
    return row.expires_at;
  }

  /** The code a redemption of these characters is about, locked FOR UPDATE; undefined when unknown. */
  @GenerateSql(['A7B3CX', IN_TRANSACTION])
  async findForRedemption(code: string, manager: EntityManager): Promise<CodeForRedemption | undefined> {
    const [row] = await this.sql.rows<CodeForRedemption>(SQL_FIND_CODE_FOR_REDEMPTION, [code], manager);
    return row;
  }

  @GenerateSql([SAMPLE_UUID, IN_TRANSACTION])
  async redeem(id: string, manager: EntityManager): Promise<void> {
    await this.sql.run(SQL_REDEEM_CODE, [id], manager);
  }

  /** "The code of a disabled gateway can no longer be redeemed" — not even after re-enabling. */
  @GenerateSql([SAMPLE_UUID, IN_TRANSACTION])
  async deleteUnredeemedOf(gatewayId: string, manager: EntityManager): Promise<void> {
    await this.sql.run('DELETE FROM pairing_codes WHERE gateway_id = $1 AND redeemed_at IS NULL', [gatewayId], manager);
  }
}
