import WebSocket from 'ws';
import { bearer } from './support/factories';
import { pairGateway } from './support/gateways';
import { startTestApp, TestApp } from './support/test-app';
import { closesWithin, connectGateway, eventually } from './support/ws-client';

describe('gateway WebSocket limits and liveness', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      HEARTBEAT_INTERVAL_S: '1',
      OFFLINE_AFTER_S: '2',
      TELEMETRY_FLUSH_INTERVAL_MS: '100',
      WS_PING_INTERVAL_S: '1',
      WS_MAX_FRAMES_PER_S: '10',
      WS_FRAME_BURST: '20',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const status = async (id: string) => (await t.http().get(`/api/v1/gateways/${id}`).set(bearer(t.adminKey))).body.status;

  it('closes with 1009 on a frame over 64 KiB', async () => {
    const gw = await pairGateway(t);
    const sock = await connectGateway(t.baseUrl, gw.id, gw.apiKey);
    await sock.next();
    sock.send({ event: 'telemetry', data: { pad: 'x'.repeat(64 * 1024) } });
    expect((await closesWithin(sock.closed, 2000)).code).toBe(1009);
  });

  it('keeps a frame just under 64 KiB (answered with an error frame, not a close)', async () => {
    const gw = await pairGateway(t);
    const sock = await connectGateway(t.baseUrl, gw.id, gw.apiKey);
    await sock.next();
    const frame = JSON.stringify({ event: 'telemetry', data: { pad: '' } });
    sock.send(JSON.stringify({ event: 'telemetry', data: { pad: 'x'.repeat(64 * 1024 - frame.length) } }));
    expect(await sock.next()).toMatchObject({ event: 'error', data: { error: 'validation_error', details: [{ field: 'pad', message: 'unknown field' }] } });
    sock.ws.close();
    await sock.closed;
  });

  it('closes a flooding socket with 1008', async () => {
    const gw = await pairGateway(t);
    const sock = await connectGateway(t.baseUrl, gw.id, gw.apiKey);
    await sock.next();
    for (let i = 0; i < 200; i++) sock.send({ event: 'heartbeat', data: {} });
    expect((await closesWithin(sock.closed, 2000)).code).toBe(1008);
  });

  it('answers bad frames with error frames and stays up', async () => {
    const gw = await pairGateway(t);
    const sock = await connectGateway(t.baseUrl, gw.id, gw.apiKey);
    await sock.next();
    const cases: [unknown, string | undefined][] = [
      ['{oops', undefined],
      [{ event: 'reboot', data: {} }, undefined],
      [[1, 2], undefined],
      [{ data: {} }, undefined],
      [{ event: 'heartbeat', data: { x: 1 } }, 'data'],
      [{ event: 'telemetry', data: { cpu_percent: -1 } }, 'cpu_percent'],
      [{ event: 'telemetry', data: { cpu_percent: '5' } }, 'cpu_percent'],
      [{ event: 'telemetry', data: { memory_mb: -0.5 } }, 'memory_mb'],
      [{ event: 'telemetry', data: { camera_recording_status: { 'not-a-uuid': 'recording' } } }, 'camera_recording_status.not-a-uuid'],
      [{ event: 'telemetry', data: { camera_recording_status: { '550e8400-e29b-41d4-a716-446655440000': 'paused' } } }, 'camera_recording_status.550e8400-e29b-41d4-a716-446655440000'],
      [{ event: 'telemetry', data: { network_throughput: { upstream_mbps: -3 } } }, 'network_throughput.upstream_mbps'],
      [{ event: 'telemetry', data: { network_throughput: { sideways_mbps: 3 } } }, 'network_throughput.sideways_mbps'],
      [{ event: 'telemetry', data: 'hi' }, 'data'],
    ];
    for (const [frame, field] of cases) {
      sock.send(frame);
      const reply = await sock.next();
      expect(reply.event).toBe('error');
      expect(reply.data).toMatchObject({ error: 'validation_error', message: expect.any(String) });
      if (field) expect(reply.data.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    sock.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await sock.next()).event).toBe('error');
    expect(sock.ws.readyState).toBe(WebSocket.OPEN);
    sock.ws.close();
    await sock.closed;
  });

  it('goes offline after OFFLINE_AFTER_S without a heartbeat, though still connected, and back online on the next', async () => {
    const gw = await pairGateway(t);
    const sock = await connectGateway(t.baseUrl, gw.id, gw.apiKey);
    await sock.next();
    sock.send({ event: 'heartbeat', data: {} });
    await eventually(async () => (await status(gw.id)) === 'online', 3000);
    // Pings keep the socket open, but they are not heartbeats.
    await eventually(async () => (await status(gw.id)) === 'offline', 6000, 200);
    expect(sock.ws.readyState).toBe(WebSocket.OPEN);
    sock.send({ event: 'heartbeat', data: {} });
    await eventually(async () => (await status(gw.id)) === 'online', 3000);
    sock.ws.close();
    await sock.closed;
  });

  it('terminates a peer that stops answering pings', async () => {
    const gw = await pairGateway(t);
    const ws = new WebSocket(`${t.baseUrl.replace(/^http/, 'ws')}/api/v1/gateways/${gw.id}/ws`, {
      headers: { Authorization: `Bearer ${gw.apiKey}` },
      autoPong: false,
    });
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    // Without pongs the server cuts the TCP connection (1006 on this side) within about two ping intervals.
    expect(await closesWithin(closed, 5000)).toBe(1006);
  });
});
