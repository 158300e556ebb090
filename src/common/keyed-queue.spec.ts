import { KeyedQueue } from './keyed-queue';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('KeyedQueue', () => {
  it('runs the tasks of one key one at a time, in order, and of different keys at once', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const task = (name: string) => async () => {
      running++;
      most = Math.max(most, running);
      log.push(`start ${name}`);
      await sleep(10);
      log.push(`end ${name}`);
      running--;
      return name;
    };
    const results = await Promise.all([queue.run('a', task('a1')), queue.run('a', task('a2')), queue.run('b', task('b1'))]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(most).toBe(2);
  });

  it('a failing task rejects its own caller only, and does not block the next', async () => {
    const queue = new KeyedQueue();
    const outcomes = await Promise.allSettled([queue.run('a', () => Promise.reject(new Error('boom'))), queue.run('a', async () => 'ok')]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled']);
    expect(await queue.run('a', async () => 'again')).toBe('again');
  });
});
