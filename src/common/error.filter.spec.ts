import { isDatabaseUnavailable } from './error.filter';

const driverError = (code: string) => Object.assign(new Error('query failed'), { driverError: { code } });

describe('which database errors are the database\'s (503) rather than a bug (500)', () => {
  it('takes timeouts, lost connections, and deadlock victims and serialization failures, which a retry resolves', () => {
    for (const code of ['57014', '57P01', '08006', '40P01', '40001']) expect(isDatabaseUnavailable(driverError(code))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
  });

  it('leaves constraint violations and anything else alone', () => {
    for (const code of ['23505', '23503', '42P01']) expect(isDatabaseUnavailable(driverError(code))).toBe(false);
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
