import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { ApiKey } from './api-key.entity';
import { AuthContext } from './auth-context';
import { hashKey, sameHash, USER_KEY_PREFIX } from './key-hash';

/** Turns a presented user key into the caller's context, or refuses it. */
@Injectable()
export class AuthService {
  constructor(@InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>) {}

  /** undefined for a missing, malformed, unknown or revoked key — all answered 401 alike. */
  async authenticate(token: string | undefined): Promise<AuthContext | undefined> {
    if (!token || !token.startsWith(USER_KEY_PREFIX)) return undefined;
    const hash = hashKey(token);
    const key = await this.keys.findOne({ where: { keyHash: hash, revokedAt: IsNull() } });
    if (!key || !sameHash(key.keyHash, hash)) return undefined;
    return { orgId: key.orgId, keyId: key.id, role: key.role, siteIds: key.siteIds };
  }
}
