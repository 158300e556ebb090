import { randomInt } from 'node:crypto';

/** Upper-case letters and digits without the look-alikes 0/O and 1/I/L: 31 symbols, ~29.7 bits per code. */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 6;

/** A fresh code from the CSPRNG; randomInt draws without modulo bias. */
export function generatePairingCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/**
 * What a person types: case, spaces and dashes do not matter ("a7b-3cx" is "A7B3CX").
 * Returns undefined when the rest is not 6 characters of the alphabet.
 */
export function normalizePairingCode(input: string): string | undefined {
  const stripped = input.replace(/[\s-]/g, '');
  // ASCII only before upper-casing: "ß".toUpperCase() is "SS", "ﬀ" is "FF".
  if (!/^[A-Za-z0-9]+$/.test(stripped)) return undefined;
  const code = stripped.toUpperCase();
  if (code.length !== CODE_LENGTH) return undefined;
  for (const ch of code) if (!CODE_ALPHABET.includes(ch)) return undefined;
  return code;
}
