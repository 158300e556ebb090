/**
 * Runs tasks one at a time per key (FIFO), different keys in parallel. Keys with nothing
 * running or waiting hold no memory; callers bound how many tasks a key may have queued.
 */
export class KeyedQueue {
  private readonly queues = new Map<string, { tail: Promise<unknown>; size: number }>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const queue = this.queues.get(key) ?? { tail: Promise.resolve(), size: 0 };
    queue.size++;
    const result = queue.tail.then(task);
    queue.tail = result.catch(() => undefined);
    this.queues.set(key, queue);
    try {
      return await result;
    } finally {
      if (--queue.size === 0) this.queues.delete(key);
    }
  }
}
