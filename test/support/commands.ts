import { randomUUID } from 'node:crypto';
import { bearer } from './factories';
import { pairGateway } from './gateways';
import type { TestApp } from './test-app';
import { connectGateway, eventually, GatewaySocket } from './ws-client';

export const COMMANDS_V1 = ['commands.v1'];

/** The next frame of this event; any other frame first fails the test (nothing the service sends goes unseen). */
export async function expectFrame(sock: GatewaySocket, event: string, timeoutMs = 5000): Promise<any> {
  const frame = await sock.next(timeoutMs);
  if (frame.event !== event) throw new Error(`expected a ${event} frame, got ${JSON.stringify(frame)}`);
  return frame.data;
}

/** No frame at all within `ms`. */
export async function expectSilence(sock: GatewaySocket, ms = 400): Promise<void> {
  const frame = await sock.next(ms).catch(() => undefined);
  if (frame) throw new Error(`expected no frame, got ${JSON.stringify(frame)}`);
}

/** Connects and reads `hello`; with a boot id, also sends a session declaring commands.v1. */
export async function connectWithSession(baseUrl: string, gw: { id: string; apiKey: string }, bootId?: string, capabilities = COMMANDS_V1): Promise<GatewaySocket> {
  const sock = await connectGateway(baseUrl, gw.id, gw.apiKey);
  await expectFrame(sock, 'hello');
  if (bootId) sock.send({ event: 'session', data: { boot_id: bootId, capabilities } });
  return sock;
}

/** The capabilities stored for the gateway (written by the telemetry flush). */
export async function storedCapabilities(t: TestApp, gatewayId: string): Promise<string[] | null> {
  const [row] = await t.dataSource.query('SELECT capabilities FROM gateway_telemetry WHERE gateway_id = $1', [gatewayId]);
  return row?.capabilities ?? null;
}

/** A paired gateway, connected, whose session declaring commands.v1 is stored: ready to be sent commands. */
export async function commandGateway(t: TestApp, siteId = t.siteId): Promise<{ gw: { id: string; apiKey: string }; sock: GatewaySocket; bootId: string }> {
  const gw = await pairGateway(t, siteId);
  const bootId = randomUUID();
  const sock = await connectWithSession(t.baseUrl, gw, bootId);
  await eventually(async () => (await storedCapabilities(t, gw.id))?.includes('commands.v1'), 8000, 50);
  return { gw, sock, bootId };
}

export const postCommand = (t: TestApp, gatewayId: string, body: unknown, key = t.adminKey, idempotencyKey?: string) => {
  const req = t.http().post(`/api/v1/gateways/${gatewayId}/commands`).set(bearer(key));
  if (idempotencyKey !== undefined) req.set('Idempotency-Key', idempotencyKey);
  return req.send(body as object);
};

export const getCommand = (t: TestApp, id: string, key = t.adminKey, waitS?: number) =>
  t.http().get(`/api/v1/commands/${id}${waitS !== undefined ? `?wait_s=${waitS}` : ''}`).set(bearer(key));

export const cancelCommand = (t: TestApp, id: string, key = t.adminKey) => t.http().post(`/api/v1/commands/${id}/cancel`).set(bearer(key));

/** Polls the command until it has this status. */
export async function commandReaches(t: TestApp, id: string, status: string, timeoutMs = 8000): Promise<any> {
  return eventually(async () => {
    const res = await getCommand(t, id);
    return res.body.status === status ? res.body : undefined;
  }, timeoutMs, 50);
}
