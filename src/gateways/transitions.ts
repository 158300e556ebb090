import type { GatewayStatus } from './gateway.entity';

/** The only statuses a client may ask for. */
export const SETTABLE_STATUSES = ['disabled', 'offline'] as const;
export type SettableStatus = (typeof SETTABLE_STATUSES)[number];

/**
 * The Gateway API's transitions (PATCH /api/v1/gateways/{id}), exactly: online|offline|registered → disabled, and
 * disabled → offline. Everything else (including "no change") is refused.
 */
export function isAllowedTransition(from: GatewayStatus, to: SettableStatus): boolean {
  if (to === 'disabled') return from === 'online' || from === 'offline' || from === 'registered';
  return from === 'disabled';
}
