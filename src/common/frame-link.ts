import type { ErrorDetail } from './api-error';

/**
 * A gateway's socket as the features acting on gateways (commands, configuration) see it:
 * which connection it is, and how to send it a frame. gateway-link provides it.
 */
export interface FrameLink {
  readonly gatewayId: string;
  /** The connection's sequence number: the newest connection of a gateway is its current one. */
  readonly seq: string;
  send(event: string, data: unknown): void;
  sendError(message: string, details?: ErrorDetail[]): void;
}

/** Connection sequence numbers are bigints in text form: compare them as numbers. The higher one is the newer connection. */
export const newerConnection = (seq: string, than: string): boolean => BigInt(seq) > BigInt(than);
