import { jsonBytes } from '../common/json-limits';
import { isObject, Validated } from '../common/validated';
import { ConfigDocument, documentProblems, MAX_DOCUMENT_BYTES } from './config-document';
import type { ConfigReportChange, ConfigRow } from './gateway-config.repository';

export type SyncState = 'in_sync' | 'pending' | 'rejected' | 'unknown';

/**
 * Where the gateway stands against its desired version: `unknown` until it reports at all,
 * `rejected` when it rejected the desired version, `in_sync` when it applied it, else `pending`.
 */
export function syncState(row: Pick<ConfigRow, 'desired_version' | 'applied_version' | 'rejected_version'>): SyncState {
  if (row.applied_version === null && row.rejected_version === null) return 'unknown';
  if (row.rejected_version === row.desired_version) return 'rejected';
  if (row.applied_version === row.desired_version) return 'in_sync';
  return 'pending';
}

/** `config_report {version, status, reported, errors?}` from a gateway (v1.3). */
export interface ConfigReport {
  version: number;
  status: 'applied' | 'rejected';
  reported: ConfigDocument;
  errors: { path: string; message: string }[];
}

const MAX_ERRORS = 50;
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length >= 1 && v.length <= max;

export function validateReport(data: unknown): Validated<ConfigReport> {
  if (!isObject(data)) return { ok: false, details: [{ field: 'data', message: 'must be an object' }] };
  const details = Object.keys(data)
    .filter((k) => !['version', 'status', 'reported', 'errors'].includes(k))
    .map((k) => ({ field: k.slice(0, 64), message: 'unknown field' }));
  const { version, status, reported, errors } = data;
  if (!(Number.isSafeInteger(version) && (version as number) >= 0)) details.push({ field: 'version', message: 'must be an integer ≥ 0' });
  if (status !== 'applied' && status !== 'rejected') details.push({ field: 'status', message: 'must be applied or rejected' });
  if (!isObject(reported)) details.push({ field: 'reported', message: 'must be the configuration the gateway runs now (an object)' });
  else if (jsonBytes(reported) > MAX_DOCUMENT_BYTES) details.push({ field: 'reported', message: `must be at most ${MAX_DOCUMENT_BYTES / 1024} KiB of JSON` });
  else details.push(...documentProblems(reported).map((d) => ({ field: `reported.${d.field}`, message: d.message })));
  const errorList = errors ?? [];
  if (!Array.isArray(errorList) || errorList.length > MAX_ERRORS || !errorList.every((e) => isObject(e) && isText(e.path, 200) && isText(e.message, 1024) && Object.keys(e).length === 2)) {
    details.push({ field: 'errors', message: `must be a list of at most ${MAX_ERRORS} {path, message}` });
  } else if (status === 'rejected' && errorList.length === 0) details.push({ field: 'errors', message: 'a rejection says why: at least one {path, message}' });
  if (details.length) return { ok: false, details: details.slice(0, 20) };
  return {
    ok: true,
    value: { version: version as number, status: status as ConfigReport['status'], reported: reported as ConfigDocument, errors: (errorList as ConfigReport['errors']).map((e) => ({ path: e.path, message: e.message })) },
  };
}

/** A report's fate: the row's new report columns, ignored (it is older than what the row knows), or ahead (an error frame). */
export type ReportOutcome = { change: ConfigReportChange } | { ignored: true } | { ahead: true };

/**
 * `applied` of a version newer than the applied one (and not past the desired one) is recorded
 * — `in_sync` when it is the desired version; `rejected` is recorded only for the desired
 * version (a rejection of one already replaced says nothing about the current). Anything older
 * is ignored; anything past the desired version cannot be, and is refused.
 */
export function judgeReport(row: ConfigRow, report: ConfigReport): ReportOutcome {
  if (report.version > row.desired_version) return { ahead: true };
  const base = { gateway_id: row.gateway_id, applied_version: row.applied_version, rejected_version: row.rejected_version, reported: row.reported, report_errors: row.report_errors };
  if (report.status === 'applied') {
    if (row.applied_version !== null && report.version <= row.applied_version) return { ignored: true };
    return { change: { ...base, applied_version: report.version, reported: report.reported, report_errors: [] } };
  }
  if (report.version !== row.desired_version || row.rejected_version === report.version) return { ignored: true };
  return { change: { ...base, rejected_version: report.version, reported: report.reported, report_errors: report.errors } };
}

/**
 * An If-Match header: `"7"`, `W/"7"`, a list of them, or `*`. Returns the versions it names
 * (`'*'` for any), or undefined when it is not one of these.
 */
export function parseIfMatch(header: string): number[] | '*' | undefined {
  const text = header.trim();
  if (text === '*') return '*';
  const versions: number[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(part);
    if (!m) return undefined;
    versions.push(Number(m[1]));
  }
  return versions;
}

export const etagOf = (version: number) => `"${version}"`;
