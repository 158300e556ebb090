/** Who a connection is: set when the upgrade is authorised (gateway-link/upgrade-auth.service.ts). */
export interface GatewaySession {
  gatewayId: string;
  orgId: string;
  /** This connection's sequence number: the newest connection of a gateway wins. */
  seq: string;
  /** The key it authenticated with (gateway_keys.id): the connection ends when that key is revoked. */
  keyId: string;
  /** The client's address (the socket's peer, or the forwarded address behind a trusted proxy). */
  peer: string;
}

/** Why the service ends a gateway's connection; the transport maps each to its close code. */
export type EndReason = 'replaced' | 'disabled' | 'deleted' | 'revoked' | 'shutdown';

/** A gateway's connection as presence sees it, whatever carries it. */
export interface LiveConnection {
  readonly session: GatewaySession;
  /** The boot id of the connection's `session` frame (v1.3); null until it sends one. */
  readonly bootId: string | null;
  /** Ends the connection; resolves once it is closed (or the transport gave up waiting). */
  end(reason: EndReason): Promise<void>;
}
