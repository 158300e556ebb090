/** Running a benchmark script on its own: PostgreSQL up, clean-up on error and on Ctrl-C. */
import { settings } from './config';
import { BenchPostgres, startBenchPostgres } from './postgres';
import { machineInfo, MachineInfo, runCommand, settingsTable, writeOut } from './report';
import { log } from './stats';

const cleanups: (() => Promise<void> | void)[] = [];

/** Registers a clean-up (stop a server, drop a database); call the returned function to run it now. */
export function deferCleanup(fn: () => Promise<void> | void): () => Promise<void> {
  let done = false;
  const run = async () => {
    if (done) return;
    done = true;
    const i = cleanups.indexOf(wrapped);
    if (i >= 0) cleanups.splice(i, 1);
    await fn();
  };
  const wrapped = () => run();
  cleanups.push(wrapped);
  return run;
}

export async function cleanupAll(): Promise<void> {
  while (cleanups.length) {
    const fn = cleanups.pop()!;
    try {
      await fn();
    } catch (e) {
      log(`clean-up failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

let signalled = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (signalled) process.exit(130);
    signalled = true;
    log(`${sig}: cleaning up`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

export interface Context {
  pg: BenchPostgres;
  machine: MachineInfo;
}

export interface Section {
  /** Markdown section (starting with a "## " heading). */
  markdown: string;
  data: unknown;
}

/** For `npm run bench:<name>`: one section, written to bench/out/<name>.md (never to docs/). */
export async function standalone(name: string, run: (ctx: Context) => Promise<Section>): Promise<void> {
  try {
    const pg = await startBenchPostgres();
    deferCleanup(() => pg.stop());
    const machine = machineInfo(pg.version, pg.embedded);
    const section = await run({ pg, machine });
    const md = [
      `# Benchmark: ${name} (partial run)`,
      '',
      `Command: \`${runCommand()}\``,
      '',
      settingsTable(),
      '',
      section.markdown,
      '',
    ].join('\n');
    process.stdout.write(`${md}\n`);
    writeOut(name, md, { machine, settings, command: runCommand(), result: section.data });
    if (settings.writeDoc) log('BENCH_WRITE_DOC=1 only applies to npm run bench (the full report)');
  } catch (e) {
    log(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  } finally {
    await cleanupAll();
  }
}
