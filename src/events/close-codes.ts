/** WebSocket close codes of the gateway channel (docs/gateway-protocol.md). */
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_POLICY_VIOLATION = 1008;
export const CLOSE_DISABLED = 4403;
export const CLOSE_DELETED = 4404;
export const CLOSE_REPLACED = 4409;
