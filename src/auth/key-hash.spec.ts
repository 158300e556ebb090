import { bearerToken, GATEWAY_KEY_PREFIX, hashKey, newKey, sameHash, USER_KEY_PREFIX } from './key-hash';

describe('key-hash', () => {
  it('hashes with SHA-256 as lower-case hex (FIPS 180-2 vector)', () => {
    expect(hashKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashKey('sk_live_x')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashKey('sk_live_x')).not.toBe(hashKey('sk_live_y'));
  });

  it('makes prefixed, url-safe keys with 256 bits of randomness', () => {
    const user = newKey(USER_KEY_PREFIX);
    const gw = newKey(GATEWAY_KEY_PREFIX);
    expect(user).toMatch(/^sk_live_[A-Za-z0-9_-]{43}$/);
    expect(gw).toMatch(/^gw_[A-Za-z0-9_-]{43}$/);
    const many = new Set(Array.from({ length: 1000 }, () => newKey(USER_KEY_PREFIX)));
    expect(many.size).toBe(1000);
  });

  it('compares digests', () => {
    const a = hashKey('one');
    expect(sameHash(a, hashKey('one'))).toBe(true);
    expect(sameHash(a, hashKey('two'))).toBe(false);
    expect(sameHash(a, a.slice(0, 62))).toBe(false);
    expect(sameHash(a, '')).toBe(false);
  });

  it.each([
    ['Bearer sk_live_abc', 'sk_live_abc'],
    ['bearer sk_live_abc', 'sk_live_abc'],
    ['BEARER   sk_live_abc', 'sk_live_abc'],
    ['  Bearer sk_live_abc  ', 'sk_live_abc'],
  ])('reads the token of %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it.each([
    ['undefined', undefined],
    ['an array', ['Bearer a', 'Bearer b']],
    ['empty', ''],
    ['Basic', 'Basic dXNlcjpwYXNz'],
    ['Bearer alone', 'Bearer'],
    ['Bearer with a space only', 'Bearer '],
    ['two tokens', 'Bearer a b'],
    ['no space', 'Bearersk_live_abc'],
    ['a non-ASCII token', 'Bearer sk_live_é'],
    ['a token over 512 characters', `Bearer ${'a'.repeat(513)}`],
  ])('rejects %s', (_label, header) => {
    expect(bearerToken(header as string | string[] | undefined)).toBeUndefined();
  });
});
