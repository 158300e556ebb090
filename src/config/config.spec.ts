import { AppConfig, ConfigError, loadConfig } from './config';

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('has the documented defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c).toBeInstanceOf(AppConfig);
    expect(c).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      EMBEDDED_PG_DIR: './.data/postgres',
      EMBEDDED_PG_PORT: 0,
      PAIRING_CODE_TTL_S: 600,
      PAIRING_MAX_ACTIVE_CODES: 5,
      PAIR_GUESS_LIMIT_PER_ADDRESS: 20,
      PAIR_GUESS_WINDOW_S: 600,
      TURN_TTL_S: 86400,
      HEARTBEAT_INTERVAL_S: 10,
      LOG_LEVEL: 'info',
      TRUST_PROXY: 'false',
    });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.NOVAVMS_BOOTSTRAP_ADMIN_KEY).toBeUndefined();
    expect(c.offlineAfterS).toBe(30);
    expect(c.turnUrls).toEqual([]);
    expect(c.trustProxy).toBe(false);
  });

  it('turns numeric strings into numbers and keeps good values', () => {
    const c = loadConfig({
      PORT: '8080',
      PAIRING_CODE_TTL_S: ' 5 ',
      DATABASE_URL: 'postgresql://u:p@db:5432/novavms',
      NOVAVMS_BOOTSTRAP_ADMIN_KEY: `sk_live_${'a'.repeat(16)}`,
      HEARTBEAT_INTERVAL_S: '2',
      TURN_URLS: 'turn:turn.example.com:3478, turns:turn.example.com:5349',
      TURN_SECRET: 's'.repeat(16),
    });
    expect(c.PORT).toBe(8080);
    expect(c.PAIRING_CODE_TTL_S).toBe(5);
    expect(c.offlineAfterS).toBe(6);
    expect(c.turnUrls).toEqual(['turn:turn.example.com:3478', 'turns:turn.example.com:5349']);
    expect(c.DATABASE_URL).toBe('postgresql://u:p@db:5432/novavms');
  });

  it('treats an empty DATABASE_URL as unset (embedded PostgreSQL)', () => {
    expect(loadConfig({ DATABASE_URL: '  ' }).DATABASE_URL).toBeUndefined();
  });

  it('ignores variables it does not know', () => {
    expect(() => loadConfig({ SOMETHING_ELSE: 'x', PATH: '/bin' })).not.toThrow();
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['PAIRING_CODE_TTL_S', '0'],
    ['PAIRING_CODE_TTL_S', '-5'],
    ['DB_POOL_SIZE', '0'],
    ['HEARTBEAT_INTERVAL_S', 'ten'],
    ['LOG_LEVEL', 'loud'],
    ['TRUST_PROXY', 'yes please!'],
    ['DATABASE_URL', 'mysql://x'],
    ['NOVAVMS_BOOTSTRAP_ADMIN_KEY', 'short'],
    ['NOVAVMS_BOOTSTRAP_ADMIN_KEY', `gw_${'a'.repeat(30)}`],
  ])('refuses %s=%s with a ConfigError naming the variable', (name, value) => {
    const e = configError({ [name]: value });
    expect(e.message).toContain(name);
    // Every problem listed is about that variable (it may break several rules at once).
    const problems = e.message.split('\n').filter((l) => l.startsWith('  - '));
    expect(problems.length).toBeGreaterThan(0);
    for (const line of problems) expect(line.startsWith(`  - ${name}`)).toBe(true);
  });

  it('NOVAVMS_BOOTSTRAP_ADMIN_KEY must be at least 24 characters', () => {
    const ok = `sk_live_${'a'.repeat(16)}`;
    expect(ok).toHaveLength(24);
    expect(loadConfig({ NOVAVMS_BOOTSTRAP_ADMIN_KEY: ok }).NOVAVMS_BOOTSTRAP_ADMIN_KEY).toBe(ok);
    expect(configError({ NOVAVMS_BOOTSTRAP_ADMIN_KEY: ok.slice(0, 23) }).message).toContain('NOVAVMS_BOOTSTRAP_ADMIN_KEY');
  });

  it('names every bad variable at once', () => {
    const e = configError({ PORT: 'abc', PAIRING_CODE_TTL_S: '0', LOG_LEVEL: 'x' });
    for (const name of ['PORT', 'PAIRING_CODE_TTL_S', 'LOG_LEVEL']) expect(e.message).toContain(name);
  });

  it('shows the offending value of a harmless setting', () => {
    expect(configError({ PORT: 'abc' }).message).toContain('"abc"');
  });

  it.each([
    ['DATABASE_URL', 'mysql://admin:hunter2-db-password@db/x', 'hunter2-db-password'],
    ['NOVAVMS_BOOTSTRAP_ADMIN_KEY', 'sk_live_tooShortSecretX', 'tooShortSecretX'],
    ['NOVAVMS_BOOTSTRAP_ADMIN_KEY', 'sk_live_has spaces in the secret value', 'spaces in the secret'],
  ])('does not echo the secret value of %s', (name, value, secret) => {
    const e = configError({ [name]: value });
    expect(e.message).toContain(name);
    expect(e.message).not.toContain(secret);
  });

  it('does not echo a too-short TURN_SECRET', () => {
    const e = configError({ TURN_URLS: 'turn:t.example.com', TURN_SECRET: 'tiny-secret' });
    expect(e.message).toContain('TURN_SECRET');
    expect(e.message).not.toContain('tiny-secret');
  });

  it('TURN_URLS without TURN_SECRET fails, and the reverse', () => {
    expect(configError({ TURN_URLS: 'turn:t.example.com:3478' }).message).toMatch(/TURN_URLS.*TURN_SECRET|TURN_SECRET.*TURN_URLS/);
    expect(configError({ TURN_SECRET: 's'.repeat(20) }).message).toMatch(/TURN_SECRET/);
  });

  it('refuses TURN_URLS that are not turn:/turns: URLs', () => {
    expect(configError({ TURN_URLS: 'http://x', TURN_SECRET: 's'.repeat(20) }).message).toContain('TURN_URLS');
  });
});
