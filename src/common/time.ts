/** RFC 3339 UTC with `Z`, second precision, as the Gateway API shows them (openapi/openapi.json): 2026-04-21T14:20:04Z. */
export function isoUtc(date: Date): string;
export function isoUtc(date: Date | null): string | null;
export function isoUtc(date: Date | null): string | null {
  return date === null ? null : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
