import { CODE_ALPHABET, CODE_LENGTH, generatePairingCode, normalizePairingCode } from './pairing-code';

describe('pairing code alphabet', () => {
  it('has no ambiguous characters and only upper case letters and digits', () => {
    for (const ch of '01OIL') expect(CODE_ALPHABET).not.toContain(ch);
    expect(CODE_ALPHABET).toMatch(/^[A-Z2-9]+$/);
    expect(new Set(CODE_ALPHABET).size).toBe(CODE_ALPHABET.length);
    expect(CODE_ALPHABET.length).toBe(31);
  });

  it('draws 6 characters of the alphabet, spread evenly', () => {
    const counts = new Map<string, number>();
    const draws = 20000;
    for (let i = 0; i < draws; i++) {
      const code = generatePairingCode();
      expect(code).toHaveLength(CODE_LENGTH);
      for (const ch of code) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect([...counts.keys()].sort().join('')).toBe([...CODE_ALPHABET].sort().join(''));
    // Each symbol expects draws*6/31 ≈ 3871 hits; a biased draw (e.g. modulo of a byte) skews this far beyond ±15%.
    const expected = (draws * CODE_LENGTH) / CODE_ALPHABET.length;
    for (const n of counts.values()) {
      expect(n).toBeGreaterThan(expected * 0.85);
      expect(n).toBeLessThan(expected * 1.15);
    }
  });
});

describe('normalizePairingCode', () => {
  it.each([
    ['A7B3CX', 'A7B3CX'],
    ['a7b3cx', 'A7B3CX'],
    ['a7b-3cx', 'A7B3CX'],
    [' A7B 3CX ', 'A7B3CX'],
    ['A-7-B-3-C-X', 'A7B3CX'],
  ])('%j → %s', (input, expected) => {
    expect(normalizePairingCode(input)).toBe(expected);
  });

  it.each(['', 'A7B3C', 'A7B3CXY', 'A7B3C0', 'O7B3CX', 'I7B3CX', 'L7B3CX', '17B3CX', 'A7B3C!', 'A7B_3C', 'ßßß', 'ﬀﬀﬀ', 'ǆǆǆ', 'A7B3ＣＸ'])('%j is refused', (input) => {
    expect(normalizePairingCode(input)).toBeUndefined();
  });
});
