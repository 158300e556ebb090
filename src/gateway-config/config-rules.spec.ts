import { changedPaths, documentProblems, mergePatch, normalised } from './config-document';
import { judgeReport, parseIfMatch, syncState, validateReport } from './config-rules';
import type { ConfigRow } from './gateway-config.repository';

const CAMERA = '550e8400-e29b-41d4-a716-446655440000';
const row = (over: Partial<ConfigRow> = {}): ConfigRow => ({
  gateway_id: 'g1',
  desired: {},
  desired_version: 3,
  reported: null,
  applied_version: 2,
  rejected_version: null,
  report_errors: [],
  reported_at: null,
  ...over,
});

describe('the configuration document', () => {
  it('merges per RFC 7396: members merge, null deletes, anything else replaces', () => {
    expect(mergePatch({ a: 1, b: { c: 2, d: 3 }, e: [1] }, { a: null, b: { c: null, x: 1 }, e: [2, 3] })).toEqual({ b: { d: 3, x: 1 }, e: [2, 3] });
    expect(mergePatch({ a: 1 }, { b: { c: null } })).toEqual({ a: 1, b: {} });
    expect(mergePatch([1], { a: 1 })).toEqual({ a: 1 });
  });

  it('keeps a member named __proto__ a member, which the schema refuses, rather than a new prototype', () => {
    const merged = mergePatch({ log_level: 'info' }, JSON.parse('{"__proto__":{"log_level":"debug"}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.keys(merged).sort()).toEqual(['__proto__', 'log_level']);
    expect(documentProblems(merged)).toEqual([{ field: '__proto__', message: 'unknown field' }]);
  });

  it('names the changed paths, sorted, arrays as one value', () => {
    expect(changedPaths({ log_level: 'info', ntp_servers: ['a'], cameras: { [CAMERA]: { recording: 'off', fps: 5 } } }, { log_level: 'info', ntp_servers: ['a', 'b'], cameras: { [CAMERA]: { recording: 'off', fps: 6 } } })).toEqual([
      `cameras.${CAMERA}.fps`,
      'ntp_servers',
    ]);
    expect(changedPaths({ a: 1 }, { a: 1 })).toEqual([]);
  });

  it('reports schema problems by path, then time zones and unbound cameras', () => {
    expect(documentProblems({ log_level: 'loud', extra: 1 }).map((d) => d.field).sort()).toEqual(['extra', 'log_level']);
    expect(documentProblems({ cameras: { [CAMERA]: { recording: 'motion', fps: 0 } } })).toEqual([{ field: `cameras.${CAMERA}.fps`, message: 'must be >= 1' }]);
    expect(documentProblems({ timezone: 'Europe/Atlantis' })).toEqual([{ field: 'timezone', message: 'must be an IANA time zone such as Europe/Berlin' }]);
    expect(documentProblems({ timezone: 'Europe/Berlin', cameras: { [CAMERA]: { recording: 'off' } } }, new Set())).toEqual([{ field: `cameras.${CAMERA}`, message: 'is not a camera bound to this gateway' }]);
    expect(documentProblems({ cameras: { [CAMERA.toUpperCase()]: { recording: 'off' } } }, new Set([CAMERA]))).toEqual([]);
    expect(normalised({ cameras: { [CAMERA.toUpperCase()]: { recording: 'off' } } })).toEqual({ cameras: { [CAMERA]: { recording: 'off' } } });
  });
});

describe('reports and sync', () => {
  it('judges a report against the row: newer applied recorded, older ignored, ahead refused, rejection only of the desired version', () => {
    const applied = (version: number) => ({ version, status: 'applied' as const, reported: { log_level: 'info' }, errors: [] });
    expect(judgeReport(row(), applied(3))).toEqual({ change: expect.objectContaining({ applied_version: 3, reported: { log_level: 'info' }, report_errors: [] }) });
    expect(judgeReport(row(), applied(2))).toEqual({ ignored: true });
    expect(judgeReport(row(), applied(4))).toEqual({ ahead: true });
    expect(judgeReport(row({ applied_version: null }), applied(1))).toEqual({ change: expect.objectContaining({ applied_version: 1 }) });
    const rejected = (version: number) => ({ version, status: 'rejected' as const, reported: {}, errors: [{ path: 'fps', message: 'no' }] });
    expect(judgeReport(row(), rejected(3))).toEqual({ change: expect.objectContaining({ rejected_version: 3, applied_version: 2, report_errors: [{ path: 'fps', message: 'no' }] }) });
    expect(judgeReport(row(), rejected(2))).toEqual({ ignored: true });
    expect(judgeReport(row({ rejected_version: 3 }), rejected(3))).toEqual({ ignored: true });
  });

  it('derives sync from the versions', () => {
    expect(syncState(row({ applied_version: null }))).toBe('unknown');
    expect(syncState(row())).toBe('pending');
    expect(syncState(row({ applied_version: 3 }))).toBe('in_sync');
    expect(syncState(row({ rejected_version: 3 }))).toBe('rejected');
    expect(syncState(row({ rejected_version: 2 }))).toBe('pending');
  });

  it('validates a report frame', () => {
    expect(validateReport({ version: 1, status: 'applied', reported: {} })).toEqual({ ok: true, value: { version: 1, status: 'applied', reported: {}, errors: [] } });
    expect(validateReport({ version: -1, status: 'done', reported: [], extra: 1 })).toMatchObject({ ok: false });
    expect(validateReport({ version: 1, status: 'rejected', reported: {}, errors: [] })).toEqual({ ok: false, details: [{ field: 'errors', message: expect.any(String) }] });
    expect(validateReport({ version: 1, status: 'rejected', reported: {}, errors: [{ path: 'x', message: 'y', z: 1 }] })).toMatchObject({ ok: false });
  });

  it('reads If-Match: quoted, weak, lists and *', () => {
    expect(parseIfMatch('"7"')).toEqual([7]);
    expect(parseIfMatch('W/"7", "8"')).toEqual([7, 8]);
    expect(parseIfMatch('*')).toBe('*');
    expect(parseIfMatch('7')).toBeUndefined();
    expect(parseIfMatch('"x"')).toBeUndefined();
  });
});
