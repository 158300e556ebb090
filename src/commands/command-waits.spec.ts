import type { Signal, SignalBus } from '../signals/signal-bus';
import { CommandWaits } from './command-waits';

function waitsWithBus() {
  const listeners: ((s: Signal) => void)[] = [];
  const resyncs: (() => Promise<void>)[] = [];
  const bus = { subscribe: (l: (s: Signal) => void) => listeners.push(l), onResync: (r: () => Promise<void>) => resyncs.push(r) } as unknown as SignalBus;
  const waits = new CommandWaits(bus);
  waits.onModuleInit();
  return { waits, signal: (s: Signal) => listeners.forEach((l) => l(s)), resync: () => Promise.all(resyncs.map((r) => r())) };
}

const settled = async (p: Promise<void>) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 50))]);

describe('CommandWaits', () => {
  it('wakes a read on its command finishing, on a resync, and on shutdown; not on another command', async () => {
    const { waits, signal, resync } = waitsWithBus();
    const a = waits.next('a', 10_000);
    signal({ type: 'command.finished', commandId: 'b' });
    expect(await settled(a)).toBe(false);
    signal({ type: 'command.finished', commandId: 'a' });
    expect(await settled(a)).toBe(true);

    const b = waits.next('b', 10_000);
    await resync();
    expect(await settled(b)).toBe(true);

    const c = waits.next('c', 10_000);
    waits.beforeApplicationShutdown();
    expect(await settled(c)).toBe(true);
    // Once stopping, nothing waits.
    expect(await settled(waits.next('d', 10_000))).toBe(true);
  });

  it('looks again within WAIT_RECHECK_MS without a signal', async () => {
    jest.useFakeTimers();
    try {
      const { waits } = waitsWithBus();
      let done = false;
      void waits.next('a', 30_000).then(() => (done = true));
      await jest.advanceTimersByTimeAsync(4_999);
      expect(done).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(done).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
