/**
 * A decimal integer written as text (`-`, digits, leading zeros allowed), exactly representable:
 * at most 15 significant digits. Anything else — signs, spaces, exponents, fractions — is
 * undefined, so the validation that follows refuses it.
 */
export function parseDecimalInteger(text: string): number | undefined {
  const match = /^(-?)0*(\d{1,15})$/.exec(text);
  return match ? Number(`${match[1]}${match[2]}`) : undefined;
}
