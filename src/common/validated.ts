import type { ErrorDetail } from './api-error';

/** The outcome of a hand-written validation: the value as it is kept, or what was wrong with it. */
export type Validated<T> = { ok: true; value: T } | { ok: false; details: ErrorDetail[] };

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
