import { guessAddress } from './guess-address';

describe('guessAddress', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['2001:db8:aa:1::1', '2001:db8:aa:1::/64'],
    ['2001:db8:aa:1:ffff:ffff:ffff:ffff', '2001:db8:aa:1::/64'],
    ['2001:0db8:00aa:0001:0000:0000:0000:0009', '2001:db8:aa:1::/64'],
    ['::1', '::/64'],
  ])('%s counts as %s', (ip, key) => {
    expect(guessAddress(ip)).toBe(key);
  });

  it('keeps two /64s apart', () => {
    expect(guessAddress('2001:db8:aa:1::1')).not.toBe(guessAddress('2001:db8:aa:2::1'));
  });

  it('passes something that is not an address through, bounded', () => {
    expect(guessAddress('unknown')).toBe('unknown');
    expect(guessAddress('x'.repeat(100))).toHaveLength(64);
  });
});
