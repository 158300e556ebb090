import { ConsoleLogger, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InstanceIdentity } from '../common/instance-identity';
import type { Transactions } from '../database/transactions';
import { Metrics } from '../metrics/metrics';
import { loadConfig } from '../config/config';
import type { GatewayFrames, GatewayLiveStateRepository } from '../gateways/gateway-live-state.repository';
import type { IngestWatermarksRepository } from './ingest-watermarks.repository';
import { TelemetryIngest } from './telemetry-ingest.service';

/**
 * The two repositories the ingest writes through, replaced by recorders (failing `fail` times
 * first); `whileWriting` runs inside every write, as frames that arrive while it is in flight.
 */
function fakes(fail = 0, whileWriting: () => void = () => undefined) {
  const writes: GatewayFrames[][] = [];
  const watermarks: { instance: string; continuous: boolean }[] = [];
  let failures = fail;
  const liveState = {
    applyFrames: jest.fn(async (frames: GatewayFrames[]) => {
      whileWriting();
      if (failures > 0) {
        failures--;
        throw new Error('connection lost');
      }
      writes.push(frames);
    }),
  };
  const marks = {
    record: jest.fn(async (instance: string, _age: number, continuous: boolean) => {
      watermarks.push({ instance, continuous });
    }),
  };
  /** The transaction is the database's business: here the work just runs. */
  const transactions = { run: <T>(work: (m: EntityManager) => Promise<T>) => work({} as EntityManager) } as unknown as Transactions;
  const instance = new InstanceIdentity();
  const metrics = new Metrics();
  const ingest = new TelemetryIngest(liveState as unknown as GatewayLiveStateRepository, marks as unknown as IngestWatermarksRepository, loadConfig({}), instance, metrics, transactions);
  return { ingest, writes, watermarks, instance, metrics };
}

describe('TelemetryIngest', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new ConsoleLogger()));

  it('writes any number of frames from any number of gateways in one write per flush', async () => {
    const { ingest, writes, watermarks } = fakes();
    for (let i = 0; i < 1000; i++) {
      for (let g = 0; g < 50; g++) ingest.record(`gw-${g}`, '1', i % 2 ? { cpu_percent: i % 100 } : undefined);
    }
    await ingest.flush();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toHaveLength(50);
    // With nothing buffered, a flush only records how far this instance's writes got.
    await ingest.flush();
    expect(writes).toHaveLength(1);
    expect(watermarks).toHaveLength(2);
  });

  it('shows failed flushes and the age of the oldest frame still waiting in its metrics', async () => {
    const { ingest, metrics } = fakes(2);
    const value = async (name: string) => (await metrics.registry.getSingleMetric(name)!.get()).values.find((v) => !('le' in v.labels))?.value;
    expect(await value('novavms_oldest_unflushed_frame_age_seconds')).toBe(0);
    ingest.record('a', '1');
    // Longer than the figure checked below: a timer may fire a little before its time by the monotonic clock.
    await new Promise((r) => setTimeout(r, 100));
    await ingest.flush();
    await ingest.flush();
    expect(await value('novavms_flush_failures_total')).toBe(2);
    // The frame is still waiting, since before both failures.
    expect(await value('novavms_oldest_unflushed_frame_age_seconds')).toBeGreaterThanOrEqual(0.05);
    await ingest.flush();
    expect(await value('novavms_oldest_unflushed_frame_age_seconds')).toBe(0);
    expect(await value('novavms_flush_failures_total')).toBe(2);
    expect((await metrics.registry.getSingleMetric('novavms_flush_rows')!.get()).values.find((v) => (v as { metricName?: string }).metricName === 'novavms_flush_rows_sum')?.value).toBe(1);
    expect((await metrics.registry.getSingleMetric('novavms_flush_duration_seconds')!.get()).values.find((v) => (v as { metricName?: string }).metricName === 'novavms_flush_duration_seconds_count')?.value).toBe(3);
  });

  it('counts the frames of a flush still in progress as unwritten (a database that hangs shows as growing age)', async () => {
    const { ingest, metrics } = fakes();
    const age = async () => (await metrics.registry.getSingleMetric('novavms_oldest_unflushed_frame_age_seconds')!.get()).values[0].value;
    let release!: () => void;
    (ingest as unknown as { liveState: { applyFrames: () => Promise<void> } }).liveState.applyFrames = () => new Promise<void>((r) => (release = r));
    ingest.record('a', '1');
    await new Promise((r) => setTimeout(r, 100));
    const flushing = ingest.flush();
    await new Promise((r) => setTimeout(r, 10));
    expect(await age()).toBeGreaterThanOrEqual(0.05);
    release();
    await flushing;
    expect(await age()).toBe(0);
  });

  it('merges telemetry: later fields win, absent fields are kept', async () => {
    const { ingest, writes } = fakes();
    ingest.record('a', '1', { cpu_percent: 10, memory_mb: 100 });
    ingest.record('a', '1', { cpu_percent: 20 });
    ingest.record('a', '1');
    await ingest.flush();
    expect(writes[0]).toEqual([expect.objectContaining({ id: 'a', telemetry: true, cpu: 20, memory: 100, closed: false })]);
  });

  it('records a close; a newer connection of the gateway replaces it', async () => {
    const { ingest, writes } = fakes();
    ingest.closed('a', '7');
    await ingest.flush();
    expect(writes[0]).toEqual([expect.objectContaining({ id: 'a', seq: '7', closed: true, age: null })]);
    ingest.record('b', '1');
    ingest.closed('b', '1');
    ingest.record('b', '2');
    await ingest.flush();
    expect(writes[1]).toEqual([expect.objectContaining({ id: 'b', seq: '2', closed: false })]);
  });

  it('ignores the close, and the late frames, of a replaced connection that arrive after its successor reported', async () => {
    const { ingest, writes } = fakes();
    ingest.record('a', '8', { cpu_percent: 55 });
    ingest.closed('a', '7');
    ingest.record('a', '7', { cpu_percent: 1 });
    await ingest.flush();
    expect(writes[0]).toEqual([expect.objectContaining({ id: 'a', seq: '8', closed: false, cpu: 55 })]);
  });

  it('keeps a failed batch for the next flush, and newer frames win', async () => {
    const { ingest, writes } = fakes(1);
    ingest.record('a', '1', { cpu_percent: 10, memory_mb: 5 });
    await ingest.flush();
    expect(writes).toHaveLength(0);
    ingest.record('a', '1', { cpu_percent: 30 });
    await ingest.flush();
    expect(writes).toEqual([[expect.objectContaining({ id: 'a', cpu: 30, memory: 5 })]]);
  });

  it('keeps the session of a failed batch when frames of the same connection arrive while it fails', async () => {
    const session = { boot_id: '3f0c9a1e-5b7d-4e2a-9c8f-1d2e3f4a5b6c', capabilities: ['commands.v1'] };
    let ingest: TelemetryIngest | undefined;
    const f = fakes(1, () => ingest?.record('a', '1', { cpu_percent: 5 }));
    ingest = f.ingest;
    ingest.record('a', '1', undefined, session);
    await ingest.flush();
    expect(f.writes).toHaveLength(0);
    await ingest.flush();
    expect(f.writes).toEqual([[expect.objectContaining({ id: 'a', cpu: 5, session })]]);
  });

  it('tells the watermark whether its writes have succeeded without a break, and says when they are current', async () => {
    const { ingest, watermarks, instance } = fakes(1);
    expect(ingest.writesCurrent).toBe(false);
    ingest.record('a', '1');
    await ingest.flush(); // fails: no watermark, not current
    expect(ingest.writesCurrent).toBe(false);
    await ingest.flush(); // the first success after a failure starts a new unbroken run
    await ingest.flush();
    expect(watermarks).toEqual([
      { instance: instance.id, continuous: false },
      { instance: instance.id, continuous: true },
    ]);
    expect(ingest.writesCurrent).toBe(true);
  });
});
