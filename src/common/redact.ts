/** API keys, gateway keys and webhook secrets, also percent-encoded (`sk%5Flive%5F…`). */
const KEY = /\b(sk(?:_|%5F)live(?:_|%5F)|gw(?:_|%5F)|whsec(?:_|%5F))[A-Za-z0-9_%-]+/gi;
/** Query parameters whose value is a credential whatever it looks like. */
const SECRET_PARAM = /^(api[_-]?key|key|token|access[_-]?token|secret|password|auth|authorization|signature)$/i;

/** `text` with every key-shaped token replaced by its prefix and `[redacted]`. */
export function redactSecrets(text: string): string {
  return text.replace(KEY, '$1[redacted]');
}

/** A URL fit for a log line: key-shaped tokens anywhere, and the values of credential-named query parameters, redacted. */
export function redactUrl(url: string): string {
  const redacted = redactSecrets(url);
  const q = redacted.indexOf('?');
  if (q < 0) return redacted;
  const query = redacted
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name);
      } catch {
        // leave it as sent
      }
      return SECRET_PARAM.test(name) ? `${pair.slice(0, eq)}=[redacted]` : pair;
    })
    .join('&');
  return `${redacted.slice(0, q)}?${query}`;
}

/**
 * How an error is written to the log: its type, message, code and stack — never its other
 * fields, which for a failed query include the statement's parameters (key hashes, customer
 * data) and the server's `detail` (the values of a violated constraint).
 */
export function serializeError(e: unknown): Record<string, unknown> {
  if (!(e instanceof Error)) return { message: redactSecrets(String(e)) };
  const code = (e as { code?: unknown }).code ?? (e as { driverError?: { code?: unknown } }).driverError?.code;
  return {
    type: e.constructor.name,
    message: redactSecrets(e.message),
    ...(code !== undefined ? { code } : {}),
    ...(e.stack ? { stack: redactSecrets(e.stack) } : {}),
  };
}
