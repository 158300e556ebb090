import type { LookupAddress } from 'node:dns';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { signatureHeader } from './signature';
import { guardedLookup, isForbiddenAddress, urlProblem } from './target-guard';

const strict = { http: false, privateTargets: false };

describe('webhook targets', () => {
  it.each([
    '127.0.0.1', '127.8.9.10', '10.0.0.1', '172.16.5.4', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fd00::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:169.254.169.254', '2002:7f00:1::1', 'not-an-ip',
  ])('refuses %s', (ip) => expect(isForbiddenAddress(ip)).toBe(true));

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111'])('allows the public address %s', (ip) => expect(isForbiddenAddress(ip)).toBe(false));

  it('checks URLs before any DNS', () => {
    expect(urlProblem('https://hooks.example.com/x', strict)).toBeUndefined();
    expect(urlProblem('http://hooks.example.com/x', strict)).toBe('must be https://');
    expect(urlProblem('http://hooks.example.com/x', { ...strict, http: true })).toBeUndefined();
    expect(urlProblem('https://u:p@hooks.example.com/x', strict)).toBe('must not contain credentials');
    expect(urlProblem('https://[::1]:8443/x', strict)).toMatch(/loopback/);
    expect(urlProblem('https://127.0.0.1/x', { ...strict, privateTargets: true })).toBeUndefined();
    expect(urlProblem('/relative', strict)).toBe('must be an absolute URL');
  });

  function resolvingTo(...addresses: string[]) {
    return ((_host: string, _opts: unknown, cb: (e: Error | null, a: LookupAddress[]) => void) =>
      cb(null, addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })))) as never;
  }
  const lookupWith = (resolve: never, all = false) =>
    new Promise<{ err: (Error & { code?: string }) | null; address: unknown }>((done) =>
      guardedLookup(resolve)('hooks.example.com', { all }, (err, address) => done({ err: err as never, address })),
    );

  it('refuses a name that resolves to the metadata address, or to any forbidden address among public ones', async () => {
    const meta = await lookupWith(resolvingTo('169.254.169.254'));
    expect(meta.err?.code).toBe('EFORBIDDENTARGET');
    expect(meta.err?.message).toBe('hooks.example.com resolves to 169.254.169.254, which webhooks may not reach');
    expect((await lookupWith(resolvingTo('93.184.216.34', '10.0.0.7'))).err?.code).toBe('EFORBIDDENTARGET');
  });

  it('connects to the address it checked', async () => {
    expect(await lookupWith(resolvingTo('93.184.216.34'))).toEqual({ err: null, address: '93.184.216.34' });
    expect(await lookupWith(resolvingTo('93.184.216.34'), true)).toEqual({ err: null, address: [{ address: '93.184.216.34', family: 4 }] });
  });
});

describe('webhook signatures', () => {
  it('match the standardwebhooks reference signer, one per secret', () => {
    const secrets = [`whsec_${Buffer.alloc(32, 1).toString('base64')}`, `whsec_${Buffer.alloc(32, 2).toString('base64')}`];
    const body = '{"id":"e1","type":"gateway.online"}';
    const at = 1_776_780_000;
    const ours = signatureHeader(secrets, 'msg_1', at, body).split(' ');
    expect(ours).toEqual(secrets.map((s) => new StandardWebhook(s).sign('msg_1', new Date(at * 1000), body)));
  });
});
