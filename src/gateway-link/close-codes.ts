import type { EndReason } from '../presence/live-connection';

/** WebSocket close codes of the gateway channel (docs/gateway-protocol.md). */
const CLOSE_GOING_AWAY = 1001;
export const CLOSE_POLICY_VIOLATION = 1008;
const CLOSE_REVOKED = 4401;
const CLOSE_DISABLED = 4403;
const CLOSE_DELETED = 4404;
const CLOSE_REPLACED = 4409;

/** How each reason the service ends a connection for is told to the gateway. */
export const CLOSE_FOR: Record<EndReason, { code: number; text: string }> = {
  shutdown: { code: CLOSE_GOING_AWAY, text: 'server shutting down' },
  replaced: { code: CLOSE_REPLACED, text: 'replaced by a newer connection' },
  revoked: { code: CLOSE_REVOKED, text: 'gateway key revoked' },
  disabled: { code: CLOSE_DISABLED, text: 'gateway disabled' },
  deleted: { code: CLOSE_DELETED, text: 'gateway deleted' },
};
