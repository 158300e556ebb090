/**
 * Who made a change of a gateway and why, as the event triggers read it (the GatewayEvents
 * migration): a transaction-local setting, so it ends with the transaction that set it.
 */
export interface ChangeContext {
  /** The user key whose request made the change. */
  actor?: { key_id: string; key_name: string | null };
  /** The reason recorded on status events. */
  reason?: string;
  /** A reason per new status, for a statement that moves gateways both ways (the frame flush). */
  reasons?: Partial<Record<'online' | 'offline', string>>;
  /** A configuration write (v1.3): the paths of the desired document it changed. */
  changed_paths?: string[];
}

/** Who is acting, as services know it (an `AuthContext` is one). */
export interface Actor {
  keyId: string;
  keyName?: string;
}

/** The context of a change made by a user's request. */
export function requestedBy(actor: Actor): ChangeContext {
  return { actor: { key_id: actor.keyId, key_name: actor.keyName ?? null }, reason: 'user_request' };
}

/** $1 the context as JSON: set for the rest of the transaction. */
export const SQL_SET_CHANGE_CONTEXT = `SELECT set_config('novavms.change', $1, true)`;

/**
 * A CTE that sets a fixed context for the rest of its statement, for statements run outside a
 * transaction: join it into the CTE the statement's writes read, so it is evaluated before any
 * row is written (AFTER triggers fire at the end of the statement, within its implicit transaction).
 */
export function changeContextCte(name: string, context: ChangeContext): string {
  const json = JSON.stringify(context).replace(/'/g, "''");
  return `${name} AS MATERIALIZED (SELECT set_config('novavms.change', '${json}', true) AS change)`;
}
