import { QueryFailedError } from 'typeorm';
import { redactSecrets, redactUrl, serializeError } from './redact';

describe('redaction', () => {
  it('redacts key-shaped tokens anywhere in a URL', () => {
    expect(redactUrl('/api/v1/sites/sk_live_abcDEF-123_x')).toBe('/api/v1/sites/sk_live_[redacted]');
    expect(redactUrl('/api/v1/sites?x=gw_abc&y=whsec_QUJD')).toBe('/api/v1/sites?x=gw_[redacted]&y=whsec_[redacted]');
    expect(redactUrl('/a?k=sk%5Flive%5Fabc')).toBe('/a?k=sk%5Flive%5F[redacted]');
  });

  it('redacts the values of credential-named query parameters', () => {
    expect(redactUrl('/api/v1/gateways?api_key=hunter2&limit=5&token=abc&Api-Key=z')).toBe('/api/v1/gateways?api_key=[redacted]&limit=5&token=[redacted]&Api-Key=[redacted]');
    expect(redactUrl('/api/v1/gateways?limit=5&status=online')).toBe('/api/v1/gateways?limit=5&status=online');
  });

  it('leaves text without keys alone', () => {
    expect(redactSecrets('gateway 8f1a2b3c renamed')).toBe('gateway 8f1a2b3c renamed');
  });

  it('writes an error without its parameters or server detail', () => {
    const driverError = Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014', detail: 'Key (key_hash)=(abc) already exists.' });
    const e = new QueryFailedError('SELECT * FROM api_keys WHERE key_hash = $1', ['e3b0c44298fc1c149afbf4c8996fb924'], driverError);
    const logged = JSON.stringify(serializeError(e));
    expect(logged).not.toContain('e3b0c44298fc1c149afbf4c8996fb924');
    expect(logged).not.toContain('already exists');
    expect(serializeError(e)).toMatchObject({ type: 'QueryFailedError', message: 'canceling statement due to statement timeout', code: '57014' });
  });
});
