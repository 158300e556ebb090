import { committedContract, formatViolation } from './contract';

const checker = committedContract();

/**
 * fetch() for suites that run the service as its own process, where the in-process contract
 * hook cannot see the responses: the answer is checked against the committed spec here, and a
 * violation fails the request.
 */
export async function checkedFetch(url: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, init);
  const text = await res.text();
  const { pathname, search } = new URL(url);
  const outcome = checker.check({
    method: (init.method ?? 'GET').toUpperCase(),
    url: `${pathname}${search}`,
    status: res.status,
    contentType: res.headers.get('content-type') ?? undefined,
    body: text,
  });
  if (outcome.kind === 'checked' && outcome.violations.length > 0) {
    throw new Error(`contract violations:\n${outcome.violations.map(formatViolation).join('\n')}`);
  }
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
