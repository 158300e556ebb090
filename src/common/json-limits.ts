/** Bytes of a value as JSON text (0 for undefined): what a size limit on a document measures. */
export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? '');

/** Deeper JSON is refused before anything walks it (validation, transformation and serialising recurse). */
export const MAX_JSON_DEPTH = 32;

/** Walks without recursion, so no depth can overflow the stack. */
export function nestedDeeperThan(root: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(value)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}
