import type { ErrorDetail } from '../common/api-error';

export interface ErrorFrame {
  event: 'error';
  data: { error: 'validation_error' | 'internal_error'; message: string; details?: ErrorDetail[] };
}

/** The frame a rejected frame is answered with; the connection stays up. */
export function errorFrame(message: string, details?: ErrorDetail[]): ErrorFrame {
  return { event: 'error', data: details ? { error: 'validation_error', message, details } : { error: 'validation_error', message } };
}

/** A valid frame the service failed to process. */
export const INTERNAL_ERROR_FRAME: ErrorFrame = { event: 'error', data: { error: 'internal_error', message: 'The frame could not be processed' } };
