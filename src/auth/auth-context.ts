import type { Role } from './roles';

/** Who is calling: passed first to every service method; services never read the request. */
export interface AuthContext {
  orgId: string;
  keyId: string;
  /** The key's name, recorded with the events its requests cause. */
  keyName?: string;
  role: Role;
  /** null: the key sees every site of its org. */
  siteIds: string[] | null;
}

/**
 * True when a thing limited to `siteIds` (null: every site of the org) lies within the key's
 * sites: a site-scoped key reaches only things confined to its own sites, never org-wide ones.
 */
export function withinKeyScope(auth: Pick<AuthContext, 'siteIds'>, siteIds: string[] | null): boolean {
  if (auth.siteIds === null) return true;
  return siteIds !== null && siteIds.every((id) => auth.siteIds!.includes(id));
}

/** True when the key may see objects of this site. */
export function canSeeSite(auth: Pick<AuthContext, 'siteIds'>, siteId: string): boolean {
  return auth.siteIds === null || auth.siteIds.includes(siteId);
}
