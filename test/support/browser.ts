/**
 * A headless Chromium for browser tests: Debian's `chromium` package (/usr/bin/chromium) driven
 * by playwright-core. No browser is ever downloaded. Install it with
 * `apt-get install -y --no-install-recommends chromium` (.ci/run must do so before the tests).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox', // tests run as root, where Chromium's sandbox cannot start
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** True under CI, where a missing browser must fail the run instead of skipping a test. */
export const isCi = (): boolean => /^(1|true|yes)$/i.test(process.env.CI ?? '');

export const chromiumMissingMessage = (): string =>
  `Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get update && apt-get install -y --no-install-recommends chromium\` ` +
  '(or point CHROMIUM_PATH at a Chromium binary).';

/**
 * Whether the browser test can run. Under CI a missing Chromium throws (the suite fails); locally
 * it prints why and returns false, so the caller can skip.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (isCi()) return true; // let launch fail loudly: CI must have the browser
  process.stderr.write(`[browser] skipping browser tests: ${chromiumMissingMessage()}\n`);
  return false;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh profile folder, removed again by close(). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(chromiumMissingMessage());
  const profile = mkdtempSync(join(tmpdir(), 'novavms-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ARGS,
      timeout: 30_000,
    });
    return {
      context,
      close: async () => {
        await context.close().catch(() => undefined);
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
}
