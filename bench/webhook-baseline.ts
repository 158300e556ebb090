/**
 * Baseline of the webhook benchmark, in a process of its own: the service's own sender
 * (src/webhooks/webhook-sender.ts) and signature code POST BENCH_BASELINE_COUNT signed bodies to
 * BENCH_BASELINE_URL, BENCH_BASELINE_CONCURRENCY at a time, with no database, queue or lease in
 * between. What the service delivers per second, divided by this, is what the delivery log costs.
 * Prints {"sent", "failed", "ms"} on stdout.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { signatureHeader } from '../src/webhooks/signature';
import { sendWebhook } from '../src/webhooks/webhook-sender';

async function main(): Promise<void> {
  const url = process.env.BENCH_BASELINE_URL!;
  const count = Number(process.env.BENCH_BASELINE_COUNT);
  const concurrency = Number(process.env.BENCH_BASELINE_CONCURRENCY);
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const id = randomUUID();
      // The shape and size of a gateway.updated event.
      const body = JSON.stringify({
        id, seq: n + 1, type: 'gateway.updated', occurred_at: new Date().toISOString().slice(0, 19) + 'Z',
        org_id: randomUUID(), site_id: randomUUID(), gateway_id: randomUUID(),
        data: { changes: { name: { from: `bench gateway ${n}`, to: `baseline ${n}` } } },
      });
      const at = Math.floor(Date.now() / 1000);
      const headers = { 'webhook-id': id, 'webhook-timestamp': String(at), 'webhook-signature': signatureHeader([secret], id, at, body) };
      const r = await sendWebhook(url, headers, body, { timeoutMs: 10_000, allowPrivateTargets: true });
      if (r.status === null || r.status < 200 || r.status >= 300) failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  process.stdout.write(JSON.stringify({ sent: count, failed, ms: performance.now() - started }));
}

void main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
