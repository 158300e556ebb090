import { ConsoleLogger, Logger } from '@nestjs/common';
import type { InstanceIdentity } from '../common/instance-identity';
import { Metrics } from '../metrics/metrics';
import { loadConfig } from '../config/config';
import type { GatewaysRepository } from '../gateways/gateways.repository';
import type { IngestWatermark, IngestWatermarksRepository } from '../telemetry/ingest-watermarks.repository';
import type { TelemetryIngest } from '../telemetry/telemetry-ingest.service';
import { LivenessService, SWEEP_BATCH } from './liveness.service';

const SELF = 'instance-self';
const OTHER = 'instance-other';

function mark(id: string, flushedAgeS: number, availableAgeS: number): IngestWatermark {
  return { id, flushedThrough: new Date(Date.UTC(2026, 3, 21, 14) - flushedAgeS * 1000), flushedAgeS, availableAgeS };
}

/** OFFLINE_AFTER_S 30; TELEMETRY_FLUSH_INTERVAL_MS 500, so this instance's own watermark must be at most 2 s old. */
function setup(marks: IngestWatermark[], writesCurrent = true) {
  const gateways = { markSilentOffline: jest.fn(async () => 2) };
  const watermarks = { all: jest.fn(async () => marks) };
  const ingest = { writesCurrent };
  const service = new LivenessService(
    gateways as unknown as GatewaysRepository,
    watermarks as unknown as IngestWatermarksRepository,
    ingest as unknown as TelemetryIngest,
    loadConfig({ OFFLINE_AFTER_S: '30', TELEMETRY_FLUSH_INTERVAL_MS: '500' }),
    { id: SELF } as unknown as InstanceIdentity,
    new Metrics(),
  );
  return { service, gateways, watermarks };
}

describe('LivenessService.sweep', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new ConsoleLogger()));

  it('does not judge while its own writes are not current: no read, no write', async () => {
    const { service, gateways, watermarks } = setup([mark(SELF, 0.1, 100)], false);
    await expect(service.sweep()).resolves.toBe(0);
    expect(watermarks.all).not.toHaveBeenCalled();
    expect(gateways.markSilentOffline).not.toHaveBeenCalled();
  });

  it('does not judge without its own watermark', async () => {
    const { service, gateways } = setup([mark(OTHER, 0.1, 100)]);
    await expect(service.sweep()).resolves.toBe(0);
    expect(gateways.markSilentOffline).not.toHaveBeenCalled();
  });

  it('does not judge when its own watermark is older than two flush intervals and a second', async () => {
    const { service, gateways } = setup([mark(SELF, 2.01, 100), mark(OTHER, 100, 100)]);
    await expect(service.sweep()).resolves.toBe(0);
    expect(gateways.markSilentOffline).not.toHaveBeenCalled();
  });

  it('passes the judged holders to markSilentOffline and returns how many went offline', async () => {
    const self = mark(SELF, 1.9, 3600);
    const dead = mark(OTHER, 45, 45);
    const alive = mark('instance-alive', 3, 3600);
    const { service, gateways } = setup([self, dead, alive]);
    await expect(service.sweep()).resolves.toBe(2);
    expect(gateways.markSilentOffline).toHaveBeenCalledWith(30, [
      { id: SELF, flushedThrough: self.flushedThrough, dead: false },
      { id: OTHER, flushedThrough: dead.flushedThrough, dead: true },
      { id: 'instance-alive', flushedThrough: alive.flushedThrough, dead: false },
    ], SWEEP_BATCH);
  });

  it('takes thousands offline in statements of at most SWEEP_BATCH, and reports the sum', async () => {
    const { service, gateways } = setup([mark(SELF, 0.2, 3600)]);
    gateways.markSilentOffline.mockResolvedValueOnce(SWEEP_BATCH).mockResolvedValueOnce(SWEEP_BATCH).mockResolvedValueOnce(7);
    await expect(service.sweep()).resolves.toBe(2 * SWEEP_BATCH + 7);
    expect(gateways.markSilentOffline).toHaveBeenCalledTimes(3);
  });

  it('after its own outage (availability younger than OFFLINE_AFTER_S) judges nobody dead', async () => {
    const { service, gateways } = setup([mark(SELF, 0.2, 4), mark(OTHER, 600, 600)]);
    await service.sweep();
    expect(gateways.markSilentOffline).toHaveBeenCalledWith(30, [
      expect.objectContaining({ id: SELF, dead: false }),
      expect.objectContaining({ id: OTHER, dead: false }),
    ], SWEEP_BATCH);
  });

  it('lets a database failure through to its periodic task', async () => {
    const { service, gateways } = setup([mark(SELF, 0.2, 100)]);
    gateways.markSilentOffline.mockRejectedValueOnce(new Error('connection lost'));
    await expect(service.sweep()).rejects.toThrow('connection lost');
  });
});
