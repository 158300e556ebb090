/** Who a connection is: set when the upgrade is authorised (gateway-link/upgrade-auth.service.ts). */
export interface GatewaySession {
  gatewayId: string;
  orgId: string;
  /** This connection's sequence number: the newest connection of a gateway wins. */
  seq: string;
}

/** Why the service ends a gateway's connection; the transport maps each to its close code. */
export type EndReason = 'replaced' | 'disabled' | 'deleted' | 'shutdown';

/** A gateway's connection as presence sees it, whatever carries it. */
export interface LiveConnection {
  readonly session: GatewaySession;
  /** Ends the connection; resolves once it is closed (or the transport gave up waiting). */
  end(reason: EndReason): Promise<void>;
}
