import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

describe('OpenAPI lint', () => {
  it('passes @redocly/cli lint (recommended ruleset) with zero errors', () => {
    let output = '';
    let status = 0;
    try {
      output = execFileSync(process.execPath, [require.resolve('@redocly/cli/bin/cli.js'), 'lint', '--format=stylish', 'openapi/openapi.json'], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      });
    } catch (e) {
      const err = e as { status?: number; stdout?: string; stderr?: string };
      status = err.status ?? 1;
      output = `${err.stdout ?? ''}${err.stderr ?? ''}`;
    }
    expect({ status, errors: output.split('\n').filter((l) => /\berror\b/i.test(l) && !/0 errors/.test(l)) }).toEqual({ status: 0, errors: [] });
  });
});
