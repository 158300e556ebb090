/**
 * Works off a backlog one bounded batch at a time: runs `batch` until it handles fewer than
 * `size` items (the backlog is done), answers null (another instance holds the work), or has run
 * `maxBatches` times (the rest waits for the next run, so one run cannot go on indefinitely).
 * Returns how many items were handled.
 */
export async function drainInBatches(size: number, maxBatches: number, batch: () => Promise<number | null>): Promise<number> {
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    const n = await batch();
    if (n === null) break;
    total += n;
    if (n < size) break;
  }
  return total;
}
