/** What the bootstrap on an empty database made (see OrgsService.bootstrap). */
export interface BootstrapAdminKey {
  org_id: string;
  site_id: string;
  api_key: string;
}

const RULE = '═'.repeat(72);

/**
 * The base URL an operator on the same machine reaches the service at: `localhost` when it
 * listens on every address, the port as configured (`<port>` when it is chosen at start).
 */
export function localBaseUrl(host: string, port: number): string {
  const h = ['', '0.0.0.0', '::'].includes(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${h}:${port === 0 ? '<port>' : port}`;
}

/**
 * The first admin key, framed so that it stands out among the start-up lines of a terminal.
 * Only rules above and below, no side borders: the key and the command copy cleanly, and a
 * line longer than the terminal wraps without breaking the frame.
 */
export function adminKeyBlock(created: BootstrapAdminKey, baseUrl: string): string {
  return [
    RULE,
    '  Admin API key (shown once — store it now)',
    '',
    `    ${created.api_key}`,
    '',
    `  org   ${created.org_id}`,
    `  site  ${created.site_id}`,
    '',
    '  Try it:',
    `    curl -H "Authorization: Bearer ${created.api_key}" ${baseUrl}/api/v1/gateways`,
    RULE,
  ].join('\n');
}
