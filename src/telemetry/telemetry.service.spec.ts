import type { AuthContext } from '../auth/auth-context';
import { ApiError } from '../common/api-error';
import type { GatewayLiveStateRepository } from '../gateways/gateway-live-state.repository';
import type { TelemetrySnapshotRow } from '../gateways/gateway.sql';
import { TelemetryService } from './telemetry.service';

const ORG = 'org-1';
const orgWide: AuthContext = { orgId: ORG, keyId: 'k1', role: 'viewer', siteIds: null };
const scoped: AuthContext = { orgId: ORG, keyId: 'k2', role: 'viewer', siteIds: ['site-a'] };

const empty: TelemetrySnapshotRow = {
  id: 'gw-1', site_id: 'site-a', last_heartbeat_at: null, cpu_percent: null, memory_mb: null, camera_recording_status: null, network_throughput: null,
};

function setup(row: TelemetrySnapshotRow | undefined) {
  const liveState = { snapshot: jest.fn(async () => row) };
  return { service: new TelemetryService(liveState as unknown as GatewayLiveStateRepository), liveState };
}

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const e = await promise.then(() => undefined, (err: unknown) => err);
  if (!(e instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(e)}`);
  return e;
}

describe('TelemetryService.snapshot', () => {
  it('is not_found for a gateway not of the org', async () => {
    const { service, liveState } = setup(undefined);
    expect((await apiError(service.snapshot(orgWide, 'gw-1'))).code).toBe('not_found');
    expect(liveState.snapshot).toHaveBeenCalledWith('gw-1', ORG);
  });

  it('is not_found (404) for a gateway of another site than the key', async () => {
    const { service } = setup({ ...empty, site_id: 'site-b' });
    const e = await apiError(service.snapshot(scoped, 'gw-1'));
    expect(e.code).toBe('not_found');
    expect(e.getStatus()).toBe(404);
  });

  it('answers nulls and empty objects before the first report', async () => {
    const { service } = setup(empty);
    await expect(service.snapshot(scoped, 'gw-1')).resolves.toEqual({
      gateway_id: 'gw-1', cpu_percent: null, memory_mb: null, last_heartbeat_at: null, camera_recording_status: {}, network_throughput: {},
    });
  });

  it('answers the stored report', async () => {
    const { service } = setup({
      ...empty, cpu_percent: 18.4, memory_mb: 742, last_heartbeat_at: '2026-04-21T14:20:04Z',
      camera_recording_status: { cam: 'recording' }, network_throughput: { rx_kbps: 1, tx_kbps: 2 } as TelemetrySnapshotRow['network_throughput'],
    });
    await expect(service.snapshot(orgWide, 'gw-1')).resolves.toEqual({
      gateway_id: 'gw-1', cpu_percent: 18.4, memory_mb: 742, last_heartbeat_at: '2026-04-21T14:20:04Z',
      camera_recording_status: { cam: 'recording' }, network_throughput: { rx_kbps: 1, tx_kbps: 2 },
    });
  });
});
