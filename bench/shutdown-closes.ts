/**
 * How soon gateways see their instance go away (npm run bench:shutdown-closes): BENCH_SHUTDOWN_N
 * gateways (6,000) connect to one service (dist/main.js) and send a heartbeat; then the service
 * gets SIGTERM. Reported: when the clients saw their sockets close (first, median, last; ms after
 * the SIGTERM) and with which codes. A gateway reconnects elsewhere from that moment, so the last
 * close bounds how soon a rolling restart can have everyone back. The clients run in this one
 * process (a confound shared by every run: compare runs, not absolutes).
 */
import WebSocket from 'ws';
import { num } from './lib/config';
import { deferCleanup, Section, standalone } from './lib/main';
import { createDatabase } from './lib/postgres';
import { startService } from './lib/processes';
import { ADMIN_KEY, bootstrapOrg, seedPairedGateways } from './lib/seed';
import { fmt, log, sleep, summarize } from './lib/stats';

const N = Math.round(num('BENCH_SHUTDOWN_N', 6000, 1));

if (require.main === module) {
  void standalone('shutdown-closes', async (ctx): Promise<Section> => {
    const db = await createDatabase(ctx.pg, 'shutdown');
    deferCleanup(() => db.drop());
    const first = await startService({ databaseUrl: db.url, adminKey: ADMIN_KEY });
    await first.stop();
    const org = await bootstrapOrg(db.url, ADMIN_KEY);
    const gateways = await seedPairedGateways(db.url, org, N);
    const service = await startService({ databaseUrl: db.url, adminKey: ADMIN_KEY, env: { HEARTBEAT_INTERVAL_S: '10' } });
    deferCleanup(() => service.stop());
    const closes: { at: number; code: number }[] = [];
    let next = 0;
    const open = () =>
      new Promise<void>((resolve, reject) => {
        const g = gateways[next++];
        const ws = new WebSocket(`${service.baseUrl.replace(/^http/, 'ws')}/api/v1/gateways/${g.id}/ws`, { headers: { Authorization: `Bearer ${g.apiKey}` }, perMessageDeflate: false });
        ws.on('message', (raw) => {
          if (!raw.toString().includes('"hello"')) return;
          ws.send('{"event":"heartbeat","data":{}}');
          resolve();
        });
        ws.on('close', (code) => closes.push({ at: performance.now(), code }));
        ws.on('error', reject);
      });
    await Promise.all(Array.from({ length: 100 }, async () => {
      while (next < gateways.length) await open();
    }));
    log(`${N} gateways connected; SIGTERM in 3 s`);
    await sleep(3000);
    const signalled = performance.now();
    process.kill(service.pid, 'SIGTERM');
    for (let waited = 0; closes.length < N && waited < 15_000; waited += 100) await sleep(100);
    const after = summarize(closes.map((c) => c.at - signalled));
    const codes: Record<string, number> = {};
    for (const c of closes) codes[c.code] = (codes[c.code] ?? 0) + 1;
    const markdown = [
      '## Shutdown: how soon gateways see the close',
      '',
      `${N} gateways on one instance, SIGTERM: sockets closed ${closes.length}/${N}, codes ${JSON.stringify(codes)}; ms after the SIGTERM: first ${fmt(after.min)}, p50 ${fmt(after.p50)}, p90 ${fmt(after.p90)}, last ${fmt(after.max)}.`,
    ].join('\n');
    return { markdown, data: { n: N, closed: closes.length, codes, after } };
  });
}
