/**
 * npm run bench: every benchmark (REST, framework probe, WebSocket ingest, pairing) in one run
 * on one PostgreSQL, then a markdown report: bench/out/benchmarks.md (+ .json), and
 * docs/benchmarks.md only when BENCH_WRITE_DOC=1 (smoke runs with small sizes must not
 * overwrite the published figures).
 * BENCH_ONLY=rest,probe,ws,pairing,pair-flood,webhooks,connect,commands selects parts; with
 * BENCH_WRITE_DOC=1 such a run replaces only its parts' sections of docs/benchmarks.md (each
 * then names the command that wrote it) and leaves the rest of the file as it was.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { benchEnv, REPO_ROOT, settings } from './lib/config';
import { cleanupAll, deferCleanup } from './lib/main';
import { startBenchPostgres } from './lib/postgres';
import { machineInfo, renderMachine, renderTargets, runCommand, settingsTable, Target, writeOut } from './lib/report';
import { fmt, log } from './lib/stats';
import { commandTargets, renderCommands, runCommands } from './commands';
import { connectTargets, renderConnect, runConnect } from './connect';
import { renderProbe, runProbe } from './framework-probe';
import { pairFloodTargets, renderPairFlood, runPairFlood } from './pair-flood';
import { pairingTargets, renderPairing, runPairing } from './pairing';
import { renderRest, restTargets, runRest } from './rest';
import { renderWebhooks, runWebhooks, webhookTargets } from './webhooks';
import { renderWs, runWs, wsTargets } from './ws-ingest';

const PARTS = ['rest', 'probe', 'ws', 'pairing', 'pair-flood', 'webhooks', 'connect', 'commands'] as const;

/** `doc` with each `## ` section of `sections` in place of the one of the same heading (appended when new). */
export function replaceSections(doc: string, sections: string[]): string {
  let out = doc;
  for (const section of sections) {
    const heading = section.split('\n', 1)[0];
    const start = out.indexOf(`\n${heading}\n`);
    if (start < 0) {
      out = `${out.trimEnd()}\n\n${section}\n`;
      continue;
    }
    const next = out.indexOf('\n## ', start + heading.length + 1);
    out = `${out.slice(0, start + 1)}${section}\n${next < 0 ? '' : out.slice(next)}`;
  }
  return out;
}

async function main(): Promise<void> {
  const only = (process.env.BENCH_ONLY ?? PARTS.join(',')).split(',').map((s) => s.trim());
  const unknown = only.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length) throw new Error(`BENCH_ONLY: unknown part(s) ${unknown.join(', ')}; use ${PARTS.join(',')}`);
  const started = Date.now();
  const pg = await startBenchPostgres();
  deferCleanup(() => pg.stop());
  const machine = machineInfo(pg.version, pg.embedded);
  const ctx = { pg, machine };
  const sections: string[] = [];
  const targets: Target[] = [];
  const data: Record<string, unknown> = {};
  if (only.includes('rest')) {
    const r = await runRest(ctx);
    data.rest = r;
    sections.push(renderRest(r));
    targets.push(...restTargets(r));
  }
  if (only.includes('probe')) {
    const r = await runProbe(ctx);
    data.probe = r;
    sections.push(renderProbe(r));
  }
  if (only.includes('ws')) {
    const r = await runWs(ctx);
    data.ws = r;
    sections.push(renderWs(r));
    targets.push(...wsTargets(r));
  }
  if (only.includes('pairing')) {
    const r = await runPairing(ctx);
    data.pairing = r;
    sections.push(renderPairing(r));
    targets.push(...pairingTargets(r));
  }
  if (only.includes('pair-flood')) {
    const r = await runPairFlood(ctx);
    data.pairFlood = r;
    sections.push(renderPairFlood(r));
    targets.push(...pairFloodTargets(r));
  }
  if (only.includes('webhooks')) {
    const r = await runWebhooks(ctx);
    data.webhooks = r;
    sections.push(renderWebhooks(r));
    targets.push(...webhookTargets(r));
  }
  if (only.includes('connect')) {
    const r = await runConnect(ctx);
    data.connect = r;
    sections.push(renderConnect(r));
    targets.push(...connectTargets(r));
  }
  if (only.includes('commands')) {
    const r = await runCommands(ctx);
    data.commands = r;
    sections.push(renderCommands(r));
    targets.push(...commandTargets(r));
  }
  const minutes = (Date.now() - started) / 60_000;
  const custom = Object.keys(benchEnv()).filter((k) => k !== 'BENCH_WRITE_DOC');
  const md = [
    '# Benchmarks',
    '',
    '<!-- Written by `npm run bench` (bench/run.ts); do not edit by hand. -->',
    '',
    `Every figure is measured beside a baseline in the same run on the same machine and reported as a ratio: the machine has ` +
      `${machine.nproc} cores and is shared, so absolute numbers drift between runs; ratios drift much less. Servers under test, ` +
      'load generators and PostgreSQL all run on this one machine.',
    '',
    custom.length ? `**Not a full run**: settings changed from the defaults (${custom.join(', ')}).\n` : '',
    '## How to run',
    '',
    '```sh',
    'npm ci',
    'BENCH_WRITE_DOC=1 npm run bench   # builds (npm run build), runs everything, writes this file',
    'npm run bench:rest                # one part alone; results in bench/out/',
    'npm run bench:ws',
    'npm run bench:pairing',
    'npm run bench:probe',
    'npm run bench:pair-flood',
    'npm run bench:webhooks',
    'npm run bench:connect',
    'npm run bench:commands',
    'BENCH_WRITE_DOC=1 BENCH_ONLY=connect npm run bench   # rewrites only the sections of the parts run',
    '```',
    '',
    `This run: \`${runCommand()}\` — ${fmt(minutes, 1)} minutes. Load average at start ${machine.loadAvgAtStart}, at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}. ` +
      'PostgreSQL: `BENCH_DATABASE_URL` (a superuser URL) when set, otherwise an embedded cluster in a temporary folder; ' +
      'each part gets a fresh database.',
    '',
    '## Machine',
    '',
    renderMachine(machine),
    '',
    '## Settings',
    '',
    settingsTable(),
    '',
    '## Targets',
    '',
    renderTargets(targets),
    '',
    ...sections.flatMap((s) => [s, '']),
  ].join('\n');
  process.stdout.write(md);
  writeOut('benchmarks', md, { machine, settings, command: runCommand(), ...data });
  if (settings.writeDoc) {
    const doc = join(REPO_ROOT, 'docs', 'benchmarks.md');
    if (only.length === PARTS.length) {
      writeFileSync(doc, md);
      log(`wrote ${doc}`);
    } else {
      const signed = sections.map((section) => `${section}\n\nThis section was written by \`${runCommand()}\` (${new Date().toISOString().slice(0, 10)}), apart from the rest of the file.`);
      writeFileSync(doc, replaceSections(readFileSync(doc, 'utf8'), signed));
      log(`replaced ${only.join(', ')} in ${doc}`);
    }
  } else {
    log('docs/benchmarks.md left alone (set BENCH_WRITE_DOC=1 to write it)');
  }
}

main()
  .catch((e: unknown) => {
    log(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
