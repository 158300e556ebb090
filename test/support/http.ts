import type { Response } from 'supertest';

/** The documented error body, exactly: `{error, message}` (plus `details` for validation_error). */
export function expectErrorBody(res: Response, status: number, error: string): void {
  if (res.status !== status) {
    throw new Error(`expected ${status} ${error}, got ${res.status} ${JSON.stringify(res.body)}`);
  }
  if (error === 'validation_error') {
    expect(res.body).toEqual({
      error,
      message: expect.any(String),
      details: expect.arrayContaining([{ field: expect.any(String), message: expect.any(String) }]),
    });
    expect(res.body.details.length).toBeGreaterThan(0);
  } else {
    expect(res.body).toEqual({ error, message: expect.any(String) });
  }
  expect(res.body.message.length).toBeGreaterThan(0);
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
