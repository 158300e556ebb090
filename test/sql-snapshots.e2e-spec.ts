import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadConfig } from '../src/config/config';
import { appDataSourceOptions } from '../src/data-source';
import { sqlSamples } from '../src/database/sql-snapshot';
import { renderSqlSnapshots, SQL_SNAPSHOTS } from '../src/sql-snapshots';
import { REPO_ROOT } from './support/cli';
import { createTestDatabase, dropTestDatabase } from './support/test-db';

function repositoryFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return repositoryFiles(path);
    return entry.endsWith('.repository.ts') ? [relative(REPO_ROOT, path)] : [];
  });
}

/** The SQL of every repository is committed beside it (`npm run sql`), so a change to it shows in review. */
describe('repository SQL snapshots', () => {
  it('are exactly what the repositories send (run `npm run sql` and commit when this fails)', async () => {
    const db = await createTestDatabase();
    try {
      const rendered = await renderSqlSnapshots(appDataSourceOptions(loadConfig({ LOG_LEVEL: 'silent' }), db.url));
      for (const [file, text] of rendered) {
        expect({ file, text }).toEqual({ file, text: readFileSync(join(REPO_ROOT, file), 'utf8') });
      }
    } finally {
      await dropTestDatabase(db.name);
    }
  });

  it('cover every repository in src/, each file beside its repository', () => {
    const listed = SQL_SNAPSHOTS.map((s) => s.file.replace(/\.sql$/, '.ts')).sort();
    expect(listed).toEqual(repositoryFiles(join(REPO_ROOT, 'src')).sort());
  });

  it.each(SQL_SNAPSHOTS.map((s) => [s.repository.name, s.repository] as const))('cover every method of %s', (_name, repository) => {
    const methods = Object.getOwnPropertyNames(repository.prototype).filter((m) => m !== 'constructor');
    expect(sqlSamples(repository).map(([m]) => m).sort()).toEqual(methods.sort());
  });
});
