import { ConsoleLogger, Logger } from '@nestjs/common';
import { Metrics } from '../metrics/metrics';
import { loadConfig } from '../config/config';
import type { ReplacementLog } from '../credentials/replacement-log.service';
import type { Replacement } from '../credentials/replacements.repository';
import type { GatewayStatus } from '../gateways/gateway.entity';
import type { GatewaysRepository } from '../gateways/gateways.repository';
import type { Signal, SignalBus } from '../signals/signal-bus';
import type { TelemetryIngest } from '../telemetry/telemetry-ingest.service';
import { ConnectionRegistry } from './connection-registry.service';
import type { EndReason, LiveConnection } from './live-connection';

type FakeConnection = LiveConnection & { end: jest.Mock<Promise<void>, [EndReason]> };

function setup() {
  const events: string[] = [];
  let listener: ((s: Signal) => void) | undefined;
  let resync: (() => Promise<void>) | undefined;
  const bus = {
    subscribe: jest.fn((l: (s: Signal) => void) => {
      listener = l;
      return () => undefined;
    }),
    onResync: jest.fn((r: () => Promise<void>) => void (resync = r)),
    publish: jest.fn(async (_s: Signal) => undefined),
  };
  const ingest = {
    closed: jest.fn((gatewayId: string, seq: string) => void events.push(`closed ${gatewayId} ${seq}`)),
    flush: jest.fn(async () => void events.push('flush')),
  };
  const gateways = { connectionStates: jest.fn(async (_ids: string[]): Promise<{ id: string; status: GatewayStatus; seq: string | null; key_usable: boolean }[]> => []) };
  const replacements = { record: jest.fn((_r: Replacement) => undefined) };
  const registry = new ConnectionRegistry(
    bus as unknown as SignalBus,
    ingest as unknown as TelemetryIngest,
    gateways as unknown as GatewaysRepository,
    replacements as unknown as ReplacementLog,
    loadConfig({}),
    new Metrics(),
  );
  registry.onModuleInit();
  const conn = (gatewayId: string, seq: string, keyId = 'key-1'): FakeConnection => ({
    session: { gatewayId, orgId: 'org-1', seq, keyId, peer: '192.0.2.1' },
    bootId: null,
    end: jest.fn(async (reason: EndReason) => void events.push(`end ${gatewayId} ${seq} ${reason}`)),
  });
  const signal = (s: Signal) => listener!(s);
  const runResync = () => resync!();
  return { registry, bus, ingest, gateways, replacements, conn, signal, runResync, events };
}

describe('ConnectionRegistry', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new ConsoleLogger()));

  let t: ReturnType<typeof setup>;
  beforeEach(() => (t = setup()));
  afterEach(async () => t.registry.onApplicationShutdown());

  it('subscribes to signals and resyncs on init', () => {
    expect(t.bus.subscribe).toHaveBeenCalledTimes(1);
    expect(t.bus.onResync).toHaveBeenCalledTimes(1);
  });

  it('the newest connection wins: the older one is ended replaced (the claim announced both; the registry publishes nothing)', () => {
    const older = t.conn('gw', '9');
    const newer = t.conn('gw', '10'); // compared as numbers, not as text
    expect(t.registry.add(older)).toBe(true);
    expect(t.registry.add(newer)).toBe(true);
    expect(older.end).toHaveBeenCalledWith('replaced');
    expect(newer.end).not.toHaveBeenCalled();
    expect(t.registry.isCurrent(newer.session)).toBe(true);
    expect(t.registry.isCurrent(older.session)).toBe(false);
    expect(t.bus.publish).not.toHaveBeenCalled();
  });

  it('an older (or same) connection arriving after a newer one is refused and ended replaced', () => {
    const newer = t.conn('gw', '10');
    t.registry.add(newer);
    for (const late of [t.conn('gw', '9'), t.conn('gw', '10')]) {
      expect(t.registry.add(late)).toBe(false);
      expect(late.end).toHaveBeenCalledWith('replaced');
    }
    expect(newer.end).not.toHaveBeenCalled();
    expect(t.registry.isCurrent(newer.session)).toBe(true);
    expect(t.bus.publish).not.toHaveBeenCalled();
  });

  it('a gateway.connected signal with a newer seq ends the local connection replaced; an older or equal one does not', () => {
    const local = t.conn('gw', '10');
    t.registry.add(local);
    t.signal({ type: 'gateway.connected', gatewayId: 'gw', seq: '9' });
    t.signal({ type: 'gateway.connected', gatewayId: 'gw', seq: '10' });
    t.signal({ type: 'gateway.connected', gatewayId: 'other', seq: '99' });
    expect(local.end).not.toHaveBeenCalled();
    t.signal({ type: 'gateway.connected', gatewayId: 'gw', seq: '11' });
    expect(local.end).toHaveBeenCalledWith('replaced');
  });

  it('a gateways.connected signal ends each local connection older than its entry, and only those', () => {
    const a = t.conn('a', '10');
    const b = t.conn('b', '20');
    const c = t.conn('c', '30');
    for (const x of [a, b, c]) t.registry.add(x);
    t.signal({ type: 'gateways.connected', connections: [['a', '11'], ['b', '20'], ['c', '29'], ['elsewhere', '5']] });
    expect(a.end).toHaveBeenCalledWith('replaced');
    expect(b.end).not.toHaveBeenCalled();
    expect(c.end).not.toHaveBeenCalled();
    expect(t.registry.isCurrent(b.session) && t.registry.isCurrent(c.session)).toBe(true);
  });

  it('gateway.disconnect ends the local connection with its reason; apiKey.revoked is ignored', () => {
    const a = t.conn('a', '1');
    const b = t.conn('b', '2');
    t.registry.add(a);
    t.registry.add(b);
    t.signal({ type: 'apiKey.revoked', keyId: 'k' });
    expect(a.end).not.toHaveBeenCalled();
    t.signal({ type: 'gateway.disconnect', gatewayId: 'a', reason: 'disabled' });
    t.signal({ type: 'gateway.disconnect', gatewayId: 'b', reason: 'deleted' });
    expect(a.end.mock.calls).toEqual([['disabled']]);
    expect(b.end.mock.calls).toEqual([['deleted']]);
  });

  it('resync ends deleted, disabled and superseded connections, and leaves current ones', async () => {
    const deleted = t.conn('deleted', '1');
    const disabled = t.conn('disabled', '2');
    const superseded = t.conn('superseded', '3');
    const current = t.conn('current', '4');
    const unclaimed = t.conn('unclaimed', '5');
    for (const c of [deleted, disabled, superseded, current, unclaimed]) t.registry.add(c);
    t.gateways.connectionStates.mockResolvedValueOnce([
      { id: 'disabled', status: 'disabled', seq: '2', key_usable: true },
      { id: 'superseded', status: 'online', seq: '30', key_usable: true },
      { id: 'current', status: 'online', seq: '4', key_usable: true },
      { id: 'unclaimed', status: 'offline', seq: null, key_usable: true },
    ]);
    await t.runResync();
    expect(t.gateways.connectionStates).toHaveBeenCalledWith(['deleted', 'disabled', 'superseded', 'current', 'unclaimed']);
    expect(deleted.end.mock.calls).toEqual([['deleted']]);
    expect(disabled.end.mock.calls).toEqual([['disabled']]);
    expect(superseded.end.mock.calls).toEqual([['replaced']]);
    expect(current.end).not.toHaveBeenCalled();
    expect(unclaimed.end).not.toHaveBeenCalled();
  });

  it('resync ends a current connection whose key is no longer usable (a revocation signal missed, a grace over) with revoked', async () => {
    const revoked = t.conn('revoked', '7');
    const superseded = t.conn('superseded', '8');
    t.registry.add(revoked);
    t.registry.add(superseded);
    t.gateways.connectionStates.mockResolvedValueOnce([
      { id: 'revoked', status: 'online', seq: '7', key_usable: false },
      // The newer connection's key says nothing about this one: it is replaced.
      { id: 'superseded', status: 'online', seq: '9', key_usable: false },
    ]);
    await t.runResync();
    expect(revoked.end.mock.calls).toEqual([['revoked']]);
    expect(superseded.end.mock.calls).toEqual([['replaced']]);
  });

  it('gateway.keysRevoked ends the local connection only when it was made with one of those keys', () => {
    const a = t.conn('a', '1', 'key-a');
    const b = t.conn('b', '2', 'key-b-new');
    t.registry.add(a);
    t.registry.add(b);
    t.signal({ type: 'gateway.keysRevoked', gatewayId: 'a', keyIds: ['key-a-old', 'key-a'] });
    t.signal({ type: 'gateway.keysRevoked', gatewayId: 'b', keyIds: ['key-b-old'] });
    expect(a.end.mock.calls).toEqual([['revoked']]);
    expect(b.end).not.toHaveBeenCalled();
  });

  it('a replacement is recorded with who the replaced connection was and which connection replaced it', () => {
    const older = { ...t.conn('gw', '9'), bootId: 'boot-1' };
    t.registry.add(older);
    t.signal({ type: 'gateways.connected', connections: [['gw', '11']] });
    t.registry.add(t.conn('other', '3'));
    t.registry.add(t.conn('other', '4'));
    expect(t.replacements.record.mock.calls).toEqual([
      [{ gatewayId: 'gw', replacedSeq: '9', bySeq: '11', peer: '192.0.2.1', bootId: 'boot-1' }],
      [{ gatewayId: 'other', replacedSeq: '3', bySeq: '4', peer: '192.0.2.1', bootId: null }],
    ]);
  });

  it('resync with no connections reads nothing', async () => {
    await t.runResync();
    expect(t.gateways.connectionStates).not.toHaveBeenCalled();
  });

  it('removing a refused connection does not reach the ingest', () => {
    t.registry.add(t.conn('gw', '10'));
    const refused = t.conn('gw', '9');
    t.registry.add(refused);
    t.registry.remove(refused);
    expect(t.ingest.closed).not.toHaveBeenCalled();
  });

  it('a connection closed by its gateway reports its own seq and keeps its successor current', () => {
    const older = t.conn('gw', '1');
    const newer = t.conn('gw', '2');
    t.registry.add(older);
    t.registry.add(newer);
    t.registry.remove(older, true);
    expect(t.ingest.closed.mock.calls).toEqual([['gw', '1']]);
    expect(t.registry.isCurrent(newer.session)).toBe(true);
    t.registry.remove(newer, true);
    t.registry.remove(newer, true);
    expect(t.ingest.closed.mock.calls).toEqual([['gw', '1'], ['gw', '2']]);
    expect(t.registry.isCurrent(newer.session)).toBe(false);
  });

  it('a connection ended by the service or lost is no offline transition: nothing reaches the ingest', () => {
    const replaced = t.conn('gw', '1');
    t.registry.add(replaced);
    t.registry.add(t.conn('gw', '2'));
    t.registry.remove(replaced, false);
    const lost = t.conn('other', '3');
    t.registry.add(lost);
    t.registry.remove(lost);
    expect(t.ingest.closed).not.toHaveBeenCalled();
    expect(t.registry.isCurrent(lost.session)).toBe(false);
  });

  it('shutdown ends every connection with shutdown, flushes without marking anything closed, and refuses new connections', async () => {
    t.registry.add(t.conn('a', '1'));
    t.registry.add(t.conn('b', '2'));
    await t.registry.beforeApplicationShutdown();
    expect(t.events).toEqual(['end a 1 shutdown', 'end b 2 shutdown', 'flush']);
    t.bus.publish.mockClear();
    const late = t.conn('c', '3');
    expect(t.registry.add(late)).toBe(false);
    expect(late.end).toHaveBeenCalledWith('shutdown');
    expect(t.bus.publish).not.toHaveBeenCalled();
    expect(t.registry.isCurrent(late.session)).toBe(false);
  });
});
