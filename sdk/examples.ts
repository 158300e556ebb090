/**
 * The JavaScript examples of the Gateway endpoints page, written against this SDK. Never run:
 * type-checked (with the misuses below, which must not compile) by `tsc -p sdk/tsconfig.json`,
 * which test/sdk.e2e-spec.ts runs.
 */
import { NovaVMS, NovaVMSError, type Command, type CommandList, type ConfigJsonSchema, type Credential, type Gateway, type GatewayConfig, type GatewayList, type GatewayTelemetry, type KeyRotation, type PairedGateway, type PairingCode, type RepairingCode } from './index';

export async function pageExamples(): Promise<void> {
  const novavms = new NovaVMS({ baseUrl: 'https://novavms.novalien.com', apiKey: 'sk_live_abc123' });

  const gateways: GatewayList = await novavms.gateways.list();
  const pairing: PairingCode = await novavms.gateways.generatePairingCode({
    name: 'Acme Logistics — Warehouse A',
    siteId: 'b5e9f3a1-2c4d-4e6f-8a1b-3c5d7e9f1a2b',
  });
  const paired: PairedGateway = await novavms.gateways.pair({
    pairingCode: 'A7B3CX',
    name: 'Acme Logistics — Warehouse A',
    version: '2026.04.12',
    localIp: '192.168.10.24',
  });
  const gw: Gateway = await novavms.gateways.get('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c');
  const telemetry: GatewayTelemetry = await novavms.gateways.telemetry('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c');
  await novavms.gateways.update('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c', {
    name: 'Acme Logistics — Warehouse A (Rev 2)',
  });
  await novavms.gateways.delete('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c');

  // Results are typed from the spec.
  const status: 'registered' | 'online' | 'offline' | 'disabled' = gw.status;
  const total: number = gateways.total;
  const code: string = pairing.pairing_code;
  const key: string = paired.api_key;
  const cpu: number | null = telemetry.cpu_percent;
  void [status, total, code, key, cpu];

  // Errors carry the status and the documented body.
  try {
    await novavms.gateways.pair({ pairingCode: 'A7B3CX' });
  } catch (e) {
    if (e instanceof NovaVMSError && e.code === 'conflict') {
      const s: number = e.status;
      const message: string = e.body.message;
      void [s, message];
    }
  }

  // Remote commands (since 1.3), as the spec's code samples write them.
  const command: Command = await novavms.commands.create('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c', {
    type: 'network.probe',
    params: { host: '192.168.10.31', port: 554 },
  });
  const done: Command = await novavms.commands.wait(command.id);
  const page: CommandList = await novavms.gateways.commands.list('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c', { status: 'queued' });
  await novavms.commands.get('c41d2e8f-6a3b-4f9c-8e1d-5b7a9c2e4f60', { waitS: 30 });
  await novavms.commands.cancel('c41d2e8f-6a3b-4f9c-8e1d-5b7a9c2e4f60');
  await novavms.gateways.commands.create('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c', { type: 'gateway.reboot', timeoutS: 120, expiresInS: 0 }, { idempotencyKey: 'reboot-1' });
  const reachable: boolean | undefined = done.result?.reachable;
  const cursor: string = page.next_cursor;
  void [reachable, cursor];

  // Gateway configuration (since 1.3), as the spec's code samples write them: write back the ETag read.
  const { config, etag } = await novavms.config.get('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c');
  await novavms.config.put('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c', { log_level: 'debug' }, { ifMatch: etag });
  await novavms.config.patch('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c', { cameras: { '550e8400-e29b-41d4-a716-446655440000': { fps: 10 } } }, { ifMatch: etag });
  // A merge patch's null deletes a member, at any depth.
  await novavms.gateways.config.patch('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c', { log_level: null, cameras: { '550e8400-e29b-41d4-a716-446655440000': { fps: null } } });
  // Or let the SDK read, change and write, retrying when another write came in between.
  const updated: GatewayConfig = (await novavms.config.update('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c', (current) => ({ ...current, retention_days: 30 }))).config;
  const schema: ConfigJsonSchema = await novavms.config.schema();
  const sync: 'in_sync' | 'pending' | 'rejected' | 'unknown' = config.sync;
  const desiredVersion: number = updated.desired_version;
  void [schema, sync, desiredVersion];
  try {
    await novavms.config.put('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c', { retention_days: 7 }, { ifMatch: '"6"' });
  } catch (e) {
    if (e instanceof NovaVMSError && e.code === 'precondition_failed') {
      const message: string = e.body.message;
      void message;
    }
  }

  // Gateway keys (since 1.3), as the spec's code samples write them.
  const keys: Credential[] = await novavms.credentials.list('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c');
  const rotation: KeyRotation = await novavms.credentials.rotateKey('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c', { graceS: 3600 });
  await novavms.gateways.credentials.rotateKey('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c');
  const revoked: Credential[] = await novavms.credentials.revokeKeys('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c');
  const repairing: RepairingCode = await novavms.gateways.createPairingCode('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c');
  const keyState: 'active' | 'retiring' | 'revoked' = keys[0].state;
  const lastUsed: string | null = revoked[0].last_used_at;
  void [rotation.rotation_id, keyState, lastUsed, repairing.pairing_code];

  // Misuse that must not compile.
  // @ts-expect-error the API's snake_case names are not the SDK's arguments
  await novavms.credentials.rotateKey('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c', { grace_s: 3600 });
  // @ts-expect-error a code for an existing gateway takes no body
  await novavms.gateways.createPairingCode('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c', { name: 'x' });
  // @ts-expect-error an unknown command type
  await novavms.commands.create('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c', { type: 'gateway.shutdown' });
  // @ts-expect-error the API's snake_case names are not the SDK's arguments
  await novavms.commands.create('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c', { type: 'gateway.reboot', timeout_s: 10 });
  // @ts-expect-error a whole document has no nulls: deleting is a merge patch's
  await novavms.config.put('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c', { log_level: null });
  // @ts-expect-error an unknown log level
  await novavms.config.patch('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c', { log_level: 'loud' });
  // @ts-expect-error no such member of the document
  await novavms.config.put('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c', { color: 'blue' });
  // @ts-expect-error the ETag goes in the options, as ifMatch
  await novavms.config.put('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c', { log_level: 'info' }, { etag: '"6"' });
  // @ts-expect-error an unknown status filter
  await novavms.commands.list('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c', { status: 'running' });
  // @ts-expect-error the API's snake_case names are not the SDK's arguments
  await novavms.gateways.generatePairingCode({ name: 'x', site_id: 'b5e9f3a1-2c4d-4e6f-8a1b-3c5d7e9f1a2b' });
  // @ts-expect-error siteId is required
  await novavms.gateways.generatePairingCode({ name: 'x' });
  // @ts-expect-error status can only be set to disabled or offline
  await novavms.gateways.update('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c', { status: 'online' });
  // @ts-expect-error an unknown status filter
  await novavms.gateways.list({ status: 'paired' });
  // @ts-expect-error no such field on a gateway
  void gw.api_key;
}
