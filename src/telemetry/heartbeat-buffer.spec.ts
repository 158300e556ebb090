import { ConsoleLogger, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/config';
import { HeartbeatBuffer } from './heartbeat-buffer.service';
import { InstanceIdentity } from './instance-identity';

type Row = { id: string; seq: string; closed: boolean; age: number | null; telemetry: boolean; cpu: number | null; memory: number | null };

function fakeDataSource(fail = 0) {
  const statements: Row[][] = [];
  let failures = fail;
  const ds = {
    query: jest.fn(async (_sql: string, params: unknown[]) => {
      if (failures > 0) {
        failures--;
        throw new Error('connection lost');
      }
      statements.push(JSON.parse(params[0] as string));
      return [];
    }),
  };
  return { ds: ds as unknown as DataSource, statements };
}

describe('HeartbeatBuffer', () => {
  const config = loadConfig({});
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new ConsoleLogger()));

  it('writes any number of frames from any number of gateways in one statement per flush', async () => {
    const { ds, statements } = fakeDataSource();
    const buffer = new HeartbeatBuffer(ds, config, new InstanceIdentity());
    for (let i = 0; i < 1000; i++) {
      for (let g = 0; g < 50; g++) buffer.record(`gw-${g}`, '1', i % 2 ? { cpu_percent: i % 100 } : undefined);
    }
    await buffer.flush();
    expect(statements).toHaveLength(1);
    expect(statements[0]).toHaveLength(50);
    // With nothing buffered, a flush only records how far this instance's writes got.
    await buffer.flush();
    expect(statements).toEqual([expect.any(Array), []]);
  });

  it('merges telemetry: later fields win, absent fields are kept', async () => {
    const { ds, statements } = fakeDataSource();
    const buffer = new HeartbeatBuffer(ds, config, new InstanceIdentity());
    buffer.record('a', '1', { cpu_percent: 10, memory_mb: 100 });
    buffer.record('a', '1', { cpu_percent: 20 });
    buffer.record('a', '1');
    await buffer.flush();
    expect(statements[0]).toEqual([expect.objectContaining({ id: 'a', telemetry: true, cpu: 20, memory: 100, closed: false })]);
  });

  it('records a close; a newer connection of the gateway replaces it', async () => {
    const { ds, statements } = fakeDataSource();
    const buffer = new HeartbeatBuffer(ds, config, new InstanceIdentity());
    buffer.closed('a', '7');
    await buffer.flush();
    expect(statements[0]).toEqual([expect.objectContaining({ id: 'a', seq: '7', closed: true, age: null })]);
    buffer.record('b', '1');
    buffer.closed('b', '1');
    buffer.record('b', '2');
    await buffer.flush();
    expect(statements[1]).toEqual([expect.objectContaining({ id: 'b', seq: '2', closed: false })]);
  });

  it('ignores the close of a replaced socket that arrives after its successor reported', async () => {
    const { ds, statements } = fakeDataSource();
    const buffer = new HeartbeatBuffer(ds, config, new InstanceIdentity());
    buffer.record('a', '8', { cpu_percent: 55 });
    buffer.closed('a', '7');
    await buffer.flush();
    expect(statements[0]).toEqual([expect.objectContaining({ id: 'a', seq: '8', closed: false, cpu: 55 })]);
  });

  it('keeps a failed batch for the next flush, and newer frames win', async () => {
    const { ds, statements } = fakeDataSource(1);
    const buffer = new HeartbeatBuffer(ds, config, new InstanceIdentity());
    buffer.record('a', '1', { cpu_percent: 10, memory_mb: 5 });
    await buffer.flush();
    expect(statements).toHaveLength(0);
    buffer.record('a', '1', { cpu_percent: 30 });
    await buffer.flush();
    expect(statements).toEqual([[expect.objectContaining({ id: 'a', cpu: 30, memory: 5 })]]);
  });
});
