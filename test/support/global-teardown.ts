import { rmSync } from 'node:fs';
import type { EmbeddedPostgresHandle } from '../../src/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as { __novavmsPg?: { pg: EmbeddedPostgresHandle; root: string } }).__novavmsPg;
  if (!state) return;
  await state.pg.stop();
  rmSync(state.root, { recursive: true, force: true });
}
