import { judge, Report } from './command-delivery.service';
import type { CommandLink } from './command-delivery.service';
import { onAck, onResult, ReportedCommand, validateAck, validateParams, validateResult, validateResultFrame } from './command-rules';

const ID = '00000000-0000-4000-8000-00000000000a';
const command = (over: Partial<ReportedCommand> = {}): ReportedCommand => ({ id: ID, type: 'network.probe', status: 'sent', hasLateResult: false, ...over });

describe('command params', () => {
  it('fills defaults and lower-cases ids', () => {
    expect(validateParams('cameras.discover', undefined)).toEqual({ ok: true, value: { timeout_s: 10 } });
    expect(validateParams('gateway.reboot', null)).toEqual({ ok: true, value: {} });
    expect(validateParams('camera.reboot', { camera_id: ID.toUpperCase() })).toEqual({ ok: true, value: { camera_id: ID } });
    expect(validateParams('network.probe', { host: 'nvr-1.site.local', port: 554 })).toEqual({ ok: true, value: { host: 'nvr-1.site.local', port: 554 } });
    expect(validateParams('network.probe', { host: 'fe80::1', port: 1 }).ok).toBe(true);
  });

  it.each([
    ['gateway.reboot', { now: true }, 'params.now'],
    ['camera.reboot', { camera_id: 'cam-1' }, 'params.camera_id'],
    ['cameras.discover', { timeout_s: 0 }, 'params.timeout_s'],
    ['cameras.discover', { timeout_s: 2.5 }, 'params.timeout_s'],
    ['network.probe', { host: '-bad-', port: 80 }, 'params.host'],
    ['network.probe', { host: 'a'.repeat(254), port: 80 }, 'params.host'],
    ['network.probe', { host: 'nvr', port: 65536 }, 'params.port'],
    ['network.probe', { host: 'nvr' }, 'params.port'],
    ['network.probe', 'nvr:80', 'params'],
  ] as const)('refuses %s %j (%s)', (type, params, field) => {
    const result = validateParams(type, params);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.details.map((d) => d.field)).toContain(field);
  });
});

describe('gateway frames', () => {
  it('takes an ack and a result, and refuses what does not fit', () => {
    expect(validateAck({ id: ID.toUpperCase(), status: 'rejected', reason: 'busy' })).toEqual({ ok: true, value: { id: ID, status: 'rejected', reason: 'busy' } });
    expect(validateAck({ id: ID, status: 'maybe' }).ok).toBe(false);
    expect(validateAck({ id: ID, status: 'accepted', extra: 1 }).ok).toBe(false);
    expect(validateResultFrame({ id: ID, status: 'failed', error: { code: 'no_route', message: 'no route to host' } })).toEqual({
      ok: true,
      value: { id: ID, status: 'failed', error: { code: 'no_route', message: 'no route to host' } },
    });
    expect(validateResultFrame({ id: ID, status: 'failed' }).ok).toBe(false);
    expect(validateResultFrame({ id: ID, status: 'failed', error: { code: 'Bad Code', message: 'x' } }).ok).toBe(false);
    expect(validateResultFrame({ id: ID, status: 'succeeded', error: { code: 'x', message: 'x' } }).ok).toBe(false);
    expect(validateResultFrame({ id: ID, status: 'succeeded', result: [1] }).ok).toBe(false);
  });

  it('checks a result against its type, with a size limit of 48 KiB', () => {
    expect(validateResult('network.probe', { reachable: true, latency_ms: 3 })).toEqual({ ok: true, value: { reachable: true, latency_ms: 3 } });
    expect(validateResult('network.probe', { reachable: 'yes' }).ok).toBe(false);
    expect(validateResult('gateway.restart_service', undefined)).toEqual({ ok: true, value: null });
    expect(validateResult('gateway.restart_service', { pid: 1 }).ok).toBe(false);
    const device = { address: '192.0.2.10', mac: '00:00:5e:00:53:01', manufacturer: 'Axis', model: 'P3245', onvif_xaddr: 'http://192.0.2.10/onvif', camera_id: null };
    expect(validateResult('cameras.discover', { devices: [device] })).toEqual({ ok: true, value: { devices: [device] } });
    expect(validateResult('cameras.discover', { devices: Array(257).fill(device) }).ok).toBe(false);
    expect(validateResult('cameras.discover', { devices: [{ ...device, mac: 'zz' }] }).ok).toBe(false);
    expect(validateResult('cameras.discover', { devices: Array(250).fill({ ...device, model: 'x'.repeat(100), manufacturer: 'y'.repeat(100) }) }).ok).toBe(false);
  });
});

describe('the state machine', () => {
  it('sent → accepted | rejected; an ack in any other state changes nothing', () => {
    expect(onAck(command(), { id: ID, status: 'accepted' })).toEqual({ status: 'accepted', setAcceptedAt: true });
    expect(onAck(command(), { id: ID, status: 'rejected', reason: 'locked' })).toEqual({ status: 'rejected', setCompletedAt: true, error: { code: 'rejected', message: 'locked' } });
    for (const status of ['queued', 'accepted', 'succeeded', 'timed_out', 'canceled'] as const) expect(onAck(command({ status }), { id: ID, status: 'accepted' })).toBeNull();
  });

  it('sent | accepted → succeeded | failed; after timed_out the first result is kept as late_result; a duplicate changes nothing', () => {
    const ok = { id: ID, status: 'succeeded' as const, result: { reachable: true, latency_ms: 1 } };
    expect(onResult(command({ status: 'accepted' }), ok)).toEqual({ status: 'succeeded', setCompletedAt: true, result: { reachable: true, latency_ms: 1 } });
    expect(onResult(command(), { id: ID, status: 'failed', error: { code: 'x', message: 'y' } })).toEqual({ status: 'failed', setCompletedAt: true, result: null, error: { code: 'x', message: 'y' } });
    expect(onResult(command({ status: 'timed_out' }), ok)).toEqual({ lateResult: { status: 'succeeded', result: { reachable: true, latency_ms: 1 }, error: null } });
    expect(onResult(command({ status: 'timed_out', hasLateResult: true }), ok)).toBeNull();
    expect(onResult(command({ status: 'succeeded' }), ok)).toBeNull();
    expect(onResult(command({ status: 'queued' }), ok)).toBeNull();
    const invalid = onResult(command(), { id: ID, status: 'succeeded', result: { latency_ms: 1 } });
    expect(invalid).toMatchObject({ status: 'failed', result: null, error: { code: 'invalid_result' } });
  });

  it('judges a batch in arrival order, one change per command, and only reports of the command’s own gateway', () => {
    const link = (gatewayId: string): CommandLink => ({ gatewayId, seq: '1', send: () => undefined, sendError: () => undefined });
    const mine = link('g1');
    const reports: Report[] = [
      { link: mine, ack: { id: ID, status: 'accepted' } },
      { link: link('g2'), result: { id: ID, status: 'failed', error: { code: 'x', message: 'forged' } } },
      { link: mine, result: { id: ID, status: 'succeeded', result: { reachable: false, latency_ms: null } } },
      { link: mine, result: { id: ID, status: 'succeeded', result: { reachable: true, latency_ms: 9 } } },
    ];
    expect(judge([{ ...command(), gatewayId: 'g1' }], reports)).toEqual([
      { id: ID, status: 'succeeded', setAcceptedAt: true, setCompletedAt: true, result: { reachable: false, latency_ms: null } },
    ]);
  });
});
