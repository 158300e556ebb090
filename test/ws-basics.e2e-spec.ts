import WebSocket from 'ws';
import { bearer } from './support/factories';
import { pairGateway } from './support/gateways';
import { startTestApp, TestApp } from './support/test-app';
import { connectGateway, eventually } from './support/ws-client';

describe('gateway WebSocket basics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ HEARTBEAT_INTERVAL_S: '1', OFFLINE_AFTER_S: '2', TELEMETRY_FLUSH_INTERVAL_MS: '100' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('greets, goes online on heartbeat, stores telemetry, and goes offline on close', async () => {
    const gw = await pairGateway(t);
    const sock = await connectGateway(t.baseUrl, gw.id, gw.apiKey);
    const hello = await sock.next();
    expect(hello).toEqual({ event: 'hello', data: { gateway_id: gw.id, heartbeat_interval_s: 1, server_time: expect.stringMatching(/Z$/) } });
    sock.send({ event: 'heartbeat', data: {} });
    await eventually(async () => {
      const res = await t.http().get(`/api/v1/gateways/${gw.id}`).set(bearer(t.adminKey));
      return res.body.status === 'online' && res.body.last_heartbeat_at !== null;
    });
    const cam = '550e8400-e29b-41d4-a716-446655440000';
    sock.send({ event: 'telemetry', data: { cpu_percent: 18.4, memory_mb: 742, camera_recording_status: { [cam]: 'recording' }, network_throughput: { upstream_mbps: 5.2, downstream_mbps: 28.6 } } });
    const snapshot = await eventually(async () => {
      const res = await t.http().get(`/api/v1/gateways/${gw.id}/telemetry`).set(bearer(t.adminKey));
      return res.body.cpu_percent === 18.4 ? res.body : undefined;
    });
    expect(snapshot).toEqual({
      gateway_id: gw.id,
      cpu_percent: 18.4,
      memory_mb: 742,
      last_heartbeat_at: expect.stringMatching(/Z$/),
      camera_recording_status: { [cam]: 'recording' },
      network_throughput: { upstream_mbps: 5.2, downstream_mbps: 28.6 },
    });
    sock.send('not json');
    expect((await sock.next()).data).toMatchObject({ error: 'validation_error' });
    sock.send({ event: 'telemetry', data: { cpu_percent: 101 } });
    expect((await sock.next()).data).toMatchObject({ error: 'validation_error', details: [{ field: 'cpu_percent' }] });
    sock.ws.close();
    await sock.closed;
    await eventually(async () => {
      const res = await t.http().get(`/api/v1/gateways/${gw.id}`).set(bearer(t.adminKey));
      return res.body.status === 'offline';
    });
  });

  it('refuses upgrades with the JSON error body', async () => {
    const gw = await pairGateway(t);
    await expect(connectGateway(t.baseUrl, gw.id)).rejects.toMatchObject({ status: 401, body: { error: 'auth_required' } });
    await expect(connectGateway(t.baseUrl, gw.id, t.adminKey)).rejects.toMatchObject({ status: 401 });
    // A valid key on another path is refused the same whether that path names a gateway or not.
    await expect(connectGateway(t.baseUrl, '00000000-0000-4000-8000-000000000000', gw.apiKey)).rejects.toMatchObject({ status: 401, body: { error: 'auth_required' } });
    await expect(connectGateway(t.baseUrl, gw.id, 'gw_not-a-real-key')).rejects.toMatchObject({ status: 401, body: { error: 'auth_required' } });
    await expect(connectGateway(t.baseUrl, 'not-a-uuid', gw.apiKey)).rejects.toMatchObject({ status: 401 });
    // The key of another gateway opens only that gateway's channel.
    const other = await pairGateway(t);
    await expect(connectGateway(t.baseUrl, gw.id, other.apiKey)).rejects.toMatchObject({ status: 401, body: { error: 'auth_required' } });
    await t.http().patch(`/api/v1/gateways/${gw.id}`).set(bearer(t.adminKey)).send({ status: 'disabled' }).expect(200);
    await expect(connectGateway(t.baseUrl, gw.id, gw.apiKey)).rejects.toMatchObject({ status: 403, body: { error: 'forbidden' } });
    // Re-enabled, it may connect again; deleted, its key is dead.
    await t.http().patch(`/api/v1/gateways/${gw.id}`).set(bearer(t.adminKey)).send({ status: 'offline' }).expect(200);
    const again = await connectGateway(t.baseUrl, gw.id, gw.apiKey);
    expect((await again.next()).event).toBe('hello');
    await t.http().delete(`/api/v1/gateways/${gw.id}`).set(bearer(t.adminKey)).expect(204);
    await again.closed;
    await expect(connectGateway(t.baseUrl, gw.id, gw.apiKey)).rejects.toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  it('does not negotiate per-message deflate', async () => {
    const gw = await pairGateway(t);
    const ws = new WebSocket(`${t.baseUrl.replace(/^http/, 'ws')}/api/v1/gateways/${gw.id}/ws`, {
      headers: { Authorization: `Bearer ${gw.apiKey}` },
      perMessageDeflate: true,
    });
    await new Promise((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    expect(ws.extensions).toBe('');
    ws.close();
  });

  it('closes 4403 on disable and 4404 on delete', async () => {
    const a = await pairGateway(t);
    const sa = await connectGateway(t.baseUrl, a.id, a.apiKey);
    await sa.next();
    await t.http().patch(`/api/v1/gateways/${a.id}`).set(bearer(t.adminKey)).send({ status: 'disabled' }).expect(200);
    expect((await sa.closed).code).toBe(4403);
    const b = await pairGateway(t);
    const sb = await connectGateway(t.baseUrl, b.id, b.apiKey);
    await sb.next();
    await t.http().delete(`/api/v1/gateways/${b.id}`).set(bearer(t.adminKey)).expect(204);
    expect((await sb.closed).code).toBe(4404);
  });

  it('replaces an older connection with 4409', async () => {
    const gw = await pairGateway(t);
    const first = await connectGateway(t.baseUrl, gw.id, gw.apiKey);
    await first.next();
    const second = await connectGateway(t.baseUrl, gw.id, gw.apiKey);
    await second.next();
    expect((await first.closed).code).toBe(4409);
    second.ws.close();
  });
});
