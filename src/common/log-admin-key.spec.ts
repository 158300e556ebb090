import { adminKeyBlock, localBaseUrl } from './log-admin-key';

const created = {
  org_id: '0b9f6f0e-6d3c-4c39-9d7e-2a4f1a1c1e01',
  site_id: '5c2d8a8e-3f0b-4a57-8a64-7b3e2f7c9d02',
  api_key: 'sk_live_3q2-7wEXAMPLEvalueXXXXXXXXXXXXXXXXXXXXXXXXX',
};

describe('adminKeyBlock', () => {
  const block = adminKeyBlock(created, 'http://localhost:3000');
  const lines = block.split('\n');
  const framed = lines.filter((l) => l.trim() !== '');

  it('is framed by rules, one above and one below', () => {
    expect(lines[0]).toMatch(/^═{40,}$/);
    expect(lines[lines.length - 1]).toBe(lines[0]);
    expect(lines.slice(1, -1).some((l) => l.includes('═'))).toBe(false);
  });

  it('says what it is, and gives the key on a line of its own', () => {
    expect(framed[1].trim()).toBe('Admin API key (shown once — store it now)');
    expect(lines.filter((l) => l.trim() === created.api_key)).toHaveLength(1);
  });

  it('names the org and the site', () => {
    expect(framed).toContain(`  org   ${created.org_id}`);
    expect(framed).toContain(`  site  ${created.site_id}`);
  });

  it('ends with a command that uses the key as the API expects it', () => {
    expect(framed[framed.length - 2].trim()).toBe(
      `curl -H "Authorization: Bearer ${created.api_key}" http://localhost:3000/api/v1/gateways`,
    );
  });
});

describe('localBaseUrl', () => {
  it.each([
    ['0.0.0.0', 3000, 'http://localhost:3000'],
    ['::', 8080, 'http://localhost:8080'],
    ['', 3000, 'http://localhost:3000'],
    ['127.0.0.1', 4000, 'http://127.0.0.1:4000'],
    ['::1', 3000, 'http://[::1]:3000'],
    ['10.0.0.5', 3000, 'http://10.0.0.5:3000'],
    ['0.0.0.0', 0, 'http://localhost:<port>'],
  ])('HOST=%j PORT=%d: %s', (host, port, expected) => {
    expect(localBaseUrl(host, port)).toBe(expected);
  });
});
