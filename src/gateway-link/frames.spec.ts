import { validateHeartbeat, validateTelemetry } from './frames';

const CAM = '550e8400-e29b-41d4-a716-446655440000';

describe('telemetry frame validation', () => {
  it('accepts the documented frame and each field alone', () => {
    const full = {
      cpu_percent: 18.4,
      memory_mb: 742,
      camera_recording_status: { [CAM]: 'recording' },
      network_throughput: { upstream_mbps: 5.2, downstream_mbps: 28.6 },
    };
    expect(validateTelemetry(full)).toEqual({ ok: true, value: full });
    expect(validateTelemetry({})).toEqual({ ok: true, value: {} });
    expect(validateTelemetry({ cpu_percent: 0 })).toEqual({ ok: true, value: { cpu_percent: 0 } });
    expect(validateTelemetry({ cpu_percent: 100 })).toEqual({ ok: true, value: { cpu_percent: 100 } });
    expect(validateTelemetry({ camera_recording_status: { [CAM]: 'idle' } }).ok).toBe(true);
  });

  it.each([
    [{ cpu_percent: 100.01 }, 'cpu_percent'],
    [{ cpu_percent: -0.1 }, 'cpu_percent'],
    [{ cpu_percent: null }, 'cpu_percent'],
    [{ memory_mb: -1 }, 'memory_mb'],
    [{ memory_mb: '742' }, 'memory_mb'],
    [{ camera_recording_status: [] }, 'camera_recording_status'],
    [{ camera_recording_status: { abc: 'idle' } }, 'camera_recording_status.abc'],
    [{ camera_recording_status: { [CAM]: 'stopped' } }, `camera_recording_status.${CAM}`],
    [{ network_throughput: { upstream_mbps: -1 } }, 'network_throughput.upstream_mbps'],
    [{ network_throughput: 5 }, 'network_throughput'],
    [{ extra: 1 }, 'extra'],
  ])('refuses %j naming %s', (data, field) => {
    const result = validateTelemetry(data);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.details.map((d) => d.field)).toContain(field);
  });

  it('refuses data that is not an object', () => {
    for (const data of [null, 1, 'x', [], undefined]) expect(validateTelemetry(data).ok).toBe(false);
  });

  it('bounds the number of cameras in one frame', () => {
    const many = Object.fromEntries(
      Array.from({ length: 1025 }, (_, i) => [`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, 'idle']),
    );
    expect(validateTelemetry({ camera_recording_status: many }).ok).toBe(false);
  });

  it('accepts only an empty heartbeat', () => {
    expect(validateHeartbeat({}).ok).toBe(true);
    expect(validateHeartbeat(undefined).ok).toBe(true);
    expect(validateHeartbeat({ a: 1 }).ok).toBe(false);
    expect(validateHeartbeat('x').ok).toBe(false);
  });
});
