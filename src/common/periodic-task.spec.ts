import { PeriodicTask } from './periodic-task';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function logger() {
  const lines: string[] = [];
  return { lines, log: (m: string) => lines.push(`log ${m}`), warn: (m: string) => lines.push(`warn ${m}`) };
}

describe('PeriodicTask', () => {
  it('runs periodically and never twice at once, however slow a run is', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const task = new PeriodicTask('slow', 5, async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(30);
      running--;
      runs++;
    }, logger());
    task.start();
    await Promise.all([task.runNow(), task.runNow(), sleep(120)]);
    await task.stop();
    expect(maxRunning).toBe(1);
    expect(runs).toBeGreaterThanOrEqual(3);
  });

  it('survives failing runs without an unhandled rejection, logs the first failure and the recovery', async () => {
    const log = logger();
    let fail = 3;
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    const task = new PeriodicTask('flaky', 2, async () => {
      if (fail-- > 0) throw new Error('connect ECONNREFUSED');
    }, log);
    try {
      task.start();
      await sleep(60);
      await task.stop();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    expect(log.lines).toEqual(['warn flaky failed: connect ECONNREFUSED', 'log flaky works again after 3 failed run(s)']);
    expect(task.failing).toBe(0);
  });

  it('runNow during a run resolves only after a run that started after the call', async () => {
    const seen: number[] = [];
    let value = 0;
    const task = new PeriodicTask('snapshot', 1000, async () => {
      const v = value;
      await sleep(20);
      seen.push(v);
    }, logger());
    const first = task.runNow();
    value = 1;
    const second = task.runNow();
    const third = task.runNow();
    await second;
    expect(seen).toEqual([0, 1]);
    await Promise.all([first, third]);
    expect(seen).toEqual([0, 1]);
  });

  it('runNow never rejects, and counts consecutive failures', async () => {
    const task = new PeriodicTask('broken', 1000, async () => Promise.reject(new Error('down')), logger());
    await expect(task.runNow()).resolves.toBeUndefined();
    await task.runNow();
    expect(task.failing).toBe(2);
  });

  it('stop() waits for the run in flight and schedules nothing after it', async () => {
    let runs = 0;
    let finished = false;
    const task = new PeriodicTask('stopping', 1, async () => {
      runs++;
      await sleep(20);
      finished = true;
    }, logger());
    void task.runNow();
    task.start();
    await task.stop();
    expect(finished).toBe(true);
    const after = runs;
    await sleep(20);
    expect(runs).toBe(after);
  });
});
