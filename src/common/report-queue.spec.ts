import { ReportQueue } from './report-queue';

const logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
const databaseGone = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

describe('ReportQueue', () => {
  it('writes in arrival order; keeps a batch the database failed, drops one that failed otherwise', async () => {
    const written: number[][] = [];
    let fail: (() => Error) | undefined;
    const queue = new ReportQueue<number>('test reports', async (batch) => {
      if (fail) throw fail();
      written.push(batch);
    }, logger);
    fail = databaseGone;
    queue.push(1);
    queue.push(2);
    await queue.flush();
    expect(queue.size).toBe(2);
    expect(written).toEqual([]);

    fail = undefined;
    await queue.flush();
    expect(written.flat()).toEqual([1, 2]);
    expect(queue.size).toBe(0);

    fail = () => new RangeError('Maximum call stack size exceeded');
    queue.push(3);
    await queue.flush();
    expect(queue.size).toBe(0);
    expect(logger.error).toHaveBeenCalledWith(expect.anything(), 'dropped 1 test reports that could not be written');
    fail = undefined;
    queue.push(4);
    await queue.flush();
    expect(written.flat()).toEqual([1, 2, 4]);
    await queue.stop();
  });
});
