import { availability, GatewayState, recordingCoverage, RecordingPoint, RecordingState, StatePoint } from './availability';

const p = (at: number, state: GatewayState, reason: string | null = null): StatePoint => ({ at, state, reason });
const r = (at: number, status: RecordingState, gatewayId = 'g1'): RecordingPoint => ({ at, gatewayId, status });
const online = (at = 0): StatePoint[] => [p(at, 'online')];

describe('availability', () => {
  it('counts each state within the range; registered time counts nowhere and disabled time is neither up nor down', () => {
    const points = [p(0, 'registered'), p(100, 'online'), p(200, 'offline', 'heartbeat_timeout'), p(260, 'online'), p(300, 'disabled'), p(400, 'online')];
    expect(availability(points, 0, 500)).toEqual({
      online_seconds: 240, // [100,200) + [260,300) + [400,500)
      offline_seconds: 60,
      planned_seconds: 0,
      disabled_seconds: 100,
      uptime_percent: 80, // 240 / 300: the 100 registered and 100 disabled seconds are left out
      outages: [{ started_at: 200, ended_at: 260, duration_seconds: 60, reason: 'heartbeat_timeout' }],
    });
  });

  it('counts an outage begun by an operator\'s reboot as planned: not offline, not in the uptime; it is still listed', () => {
    const points = [p(0, 'online'), p(100, 'offline', 'rebooting'), p(160, 'online'), p(300, 'offline', 'heartbeat_timeout'), p(340, 'online')];
    expect(availability(points, 0, 400)).toEqual({
      online_seconds: 300,
      offline_seconds: 40,
      planned_seconds: 60,
      disabled_seconds: 0,
      uptime_percent: 88.235, // 300 / 340: the 60 planned seconds are left out
      outages: [
        { started_at: 100, ended_at: 160, duration_seconds: 60, reason: 'rebooting' },
        { started_at: 300, ended_at: 340, duration_seconds: 40, reason: 'heartbeat_timeout' },
      ],
    });
  });

  it('counts a reboot that did not come back by its deadline as planned only up to the deadline', () => {
    const points: StatePoint[] = [p(0, 'online'), { at: 100, state: 'offline', reason: 'rebooting', plannedUntil: 130 }, p(200, 'online')];
    expect(availability(points, 0, 300)).toMatchObject({ online_seconds: 200, planned_seconds: 30, offline_seconds: 70, uptime_percent: 74.074 });
    // A range that starts after the deadline sees downtime only.
    expect(availability(points, 150, 300)).toMatchObject({ planned_seconds: 0, offline_seconds: 50 });
    // One that ends before it, planned only.
    expect(availability(points, 0, 120)).toMatchObject({ planned_seconds: 20, offline_seconds: 0 });
  });

  it('counts nothing before the first point (the gateway did not exist yet)', () => {
    expect(availability([p(1000, 'online')], 500, 1500)).toEqual({
      online_seconds: 500,
      offline_seconds: 0,
      planned_seconds: 0,
      disabled_seconds: 0,
      uptime_percent: 100,
      outages: [],
    });
  });

  it('counts a range that starts inside an outage from the range start, with the reason of the point before it', () => {
    const points = [p(0, 'online'), p(100, 'offline', 'heartbeat_timeout'), p(400, 'online')];
    expect(availability(points, 250, 1000)).toEqual({
      online_seconds: 600,
      offline_seconds: 150,
      planned_seconds: 0,
      disabled_seconds: 0,
      uptime_percent: 80,
      outages: [{ started_at: 250, ended_at: 400, duration_seconds: 150, reason: 'heartbeat_timeout' }],
    });
  });

  it('leaves ended_at null for an outage still going at `to`, ignoring points after `to`', () => {
    const points = [p(0, 'online'), p(700, 'offline', 'closed_by_gateway'), p(2000, 'online')];
    expect(availability(points, 0, 1000)).toEqual({
      online_seconds: 700,
      offline_seconds: 300,
      planned_seconds: 0,
      disabled_seconds: 0,
      uptime_percent: 70,
      outages: [{ started_at: 700, ended_at: null, duration_seconds: 300, reason: 'closed_by_gateway' }],
    });
  });

  it('clips an outage covering the whole range at both ends', () => {
    expect(availability([p(0, 'offline', 'heartbeat_timeout')], 100, 200)).toEqual({
      online_seconds: 0,
      offline_seconds: 100,
      planned_seconds: 0,
      disabled_seconds: 0,
      uptime_percent: 0,
      outages: [{ started_at: 100, ended_at: null, duration_seconds: 100, reason: 'heartbeat_timeout' }],
    });
  });

  it('gives ended_at = to for an outage ended by a point at exactly `to`', () => {
    const points = [p(0, 'online'), p(10, 'offline'), p(20, 'online')];
    expect(availability(points, 0, 20)).toEqual({
      online_seconds: 10,
      offline_seconds: 10,
      planned_seconds: 0,
      disabled_seconds: 0,
      uptime_percent: 50,
      outages: [{ started_at: 10, ended_at: 20, duration_seconds: 10, reason: null }],
    });
  });

  it('does not list an outage that ended at or before `from`, nor one that starts at `to`', () => {
    expect(availability([p(0, 'offline', 'a'), p(100, 'online')], 100, 200).outages).toEqual([]);
    expect(availability([p(0, 'offline', 'a'), p(50, 'online')], 100, 200).outages).toEqual([]);
    expect(availability([p(0, 'online'), p(100, 'offline', 'b')], 0, 100)).toEqual({
      online_seconds: 100,
      offline_seconds: 0,
      planned_seconds: 0,
      disabled_seconds: 0,
      uptime_percent: 100,
      outages: [],
    });
  });

  it('merges consecutive offline points into one outage with the reason of the first', () => {
    const points = [p(0, 'online'), p(100, 'offline', 'closed_by_gateway'), p(150, 'offline', 'heartbeat_timeout'), p(300, 'online')];
    expect(availability(points, 0, 400)).toEqual({
      online_seconds: 200,
      offline_seconds: 200,
      planned_seconds: 0,
      disabled_seconds: 0,
      uptime_percent: 50,
      outages: [{ started_at: 100, ended_at: 300, duration_seconds: 200, reason: 'closed_by_gateway' }],
    });
  });

  it('keeps the reason of the point that began a merged outage even when that point is before `from`', () => {
    const points = [p(0, 'offline', 'closed_by_gateway'), p(50, 'offline', 'heartbeat_timeout'), p(150, 'online')];
    expect(availability(points, 100, 200).outages).toEqual([{ started_at: 100, ended_at: 150, duration_seconds: 50, reason: 'closed_by_gateway' }]);
  });

  it('splits outages separated by online time', () => {
    const points = [p(0, 'offline', 'a'), p(10, 'online'), p(20, 'offline', 'b'), p(35, 'online')];
    expect(availability(points, 0, 40)).toEqual({
      online_seconds: 15,
      offline_seconds: 25,
      planned_seconds: 0,
      disabled_seconds: 0,
      uptime_percent: 37.5,
      outages: [
        { started_at: 0, ended_at: 10, duration_seconds: 10, reason: 'a' },
        { started_at: 20, ended_at: 35, duration_seconds: 15, reason: 'b' },
      ],
    });
  });

  describe('points at the same second', () => {
    it('drops an outage of 0 seconds (offline then online at the same second)', () => {
      const points = [p(0, 'online'), p(100, 'offline', 'blip'), p(100, 'online')];
      expect(availability(points, 0, 200)).toEqual({
        online_seconds: 200,
        offline_seconds: 0,
        planned_seconds: 0,
        disabled_seconds: 0,
        uptime_percent: 100,
        outages: [],
      });
    });

    it('lets the later element win, also at `from`', () => {
      const points = [p(0, 'registered'), p(100, 'online'), p(100, 'offline', 'closed_by_gateway')];
      expect(availability(points, 0, 200)).toEqual({
        online_seconds: 0,
        offline_seconds: 100,
        planned_seconds: 0,
        disabled_seconds: 0,
        uptime_percent: 0,
        outages: [{ started_at: 100, ended_at: null, duration_seconds: 100, reason: 'closed_by_gateway' }],
      });
      expect(availability([p(100, 'offline', 'x'), p(100, 'online')], 100, 200)).toEqual({
        online_seconds: 100,
        offline_seconds: 0,
        planned_seconds: 0,
        disabled_seconds: 0,
        uptime_percent: 100,
        outages: [],
      });
    });

    it('takes the reason of the first of two offline points at one second', () => {
      const points = [p(0, 'online'), p(10, 'offline', 'closed_by_gateway'), p(10, 'offline', 'heartbeat_timeout'), p(20, 'online')];
      expect(availability(points, 0, 30).outages).toEqual([{ started_at: 10, ended_at: 20, duration_seconds: 10, reason: 'closed_by_gateway' }]);
    });

    it('treats an online lasting 0 seconds as no break in the outage', () => {
      const points = [p(0, 'online'), p(10, 'offline', 'a'), p(20, 'online'), p(20, 'offline', 'b'), p(30, 'online')];
      expect(availability(points, 0, 40)).toEqual({
        online_seconds: 20,
        offline_seconds: 20,
        planned_seconds: 0,
        disabled_seconds: 0,
        uptime_percent: 50,
        outages: [{ started_at: 10, ended_at: 30, duration_seconds: 20, reason: 'a' }],
      });
    });
  });

  it('gives a null uptime when there is no online or offline time', () => {
    expect(availability([p(0, 'registered'), p(50, 'disabled')], 0, 100)).toEqual({
      online_seconds: 0,
      offline_seconds: 0,
      planned_seconds: 0,
      disabled_seconds: 50,
      uptime_percent: null,
      outages: [],
    });
    expect(availability([], 0, 100)).toEqual({ online_seconds: 0, offline_seconds: 0, planned_seconds: 0, disabled_seconds: 0, uptime_percent: null, outages: [] });
    expect(availability([p(500, 'online')], 0, 100).uptime_percent).toBeNull();
  });

  it('counts deleted time nowhere, and deletion ends an outage', () => {
    expect(availability([p(0, 'online'), p(50, 'deleted')], 0, 100)).toEqual({
      online_seconds: 50,
      offline_seconds: 0,
      planned_seconds: 0,
      disabled_seconds: 0,
      uptime_percent: 100,
      outages: [],
    });
    expect(availability([p(0, 'offline', 'a'), p(50, 'deleted')], 0, 100).outages).toEqual([{ started_at: 0, ended_at: 50, duration_seconds: 50, reason: 'a' }]);
  });

  it('ends an outage when the gateway is disabled', () => {
    const points = [p(0, 'offline', 'a'), p(30, 'disabled'), p(60, 'offline', 'b')];
    expect(availability(points, 0, 100)).toEqual({
      online_seconds: 0,
      offline_seconds: 70,
      planned_seconds: 0,
      disabled_seconds: 30,
      uptime_percent: 0,
      outages: [
        { started_at: 0, ended_at: 30, duration_seconds: 30, reason: 'a' },
        { started_at: 60, ended_at: null, duration_seconds: 40, reason: 'b' },
      ],
    });
  });

  it('rounds the uptime to 3 decimals', () => {
    expect(availability([p(0, 'online'), p(1, 'offline')], 0, 3).uptime_percent).toBe(33.333);
    expect(availability([p(0, 'online'), p(2, 'offline')], 0, 3).uptime_percent).toBe(66.667);
  });

  it('handles tens of thousands of points', () => {
    // 60 000 points: online on even tens of seconds, offline on odd ones.
    const points = Array.from({ length: 60_000 }, (_, i) => p(i * 10, i % 2 === 0 ? 'online' : 'offline', `r${i}`));
    const a = availability(points, 5, 599_995);
    expect(a.online_seconds).toBe(299_995);
    expect(a.offline_seconds).toBe(299_995);
    expect(a.outages).toHaveLength(30_000);
    expect(a.outages[0]).toEqual({ started_at: 10, ended_at: 20, duration_seconds: 10, reason: 'r1' });
    expect(a.outages.at(-1)).toEqual({ started_at: 599_990, ended_at: null, duration_seconds: 5, reason: 'r59999' });
  });
});

describe('recordingCoverage', () => {
  it('is unknown before the first report', () => {
    const gateways = new Map([['g1', online()]]);
    expect(recordingCoverage([r(100, 'recording')], gateways, 0, 300)).toEqual({
      recording_seconds: 200,
      not_recording_seconds: 0,
      unknown_seconds: 100,
      coverage_percent: 100,
      gaps: [{ started_at: 0, ended_at: 100, status: 'unknown' }],
    });
  });

  it('is unknown while the reporting gateway is offline or disabled', () => {
    const gateways = new Map([['g1', [p(0, 'online'), p(200, 'offline', 'heartbeat_timeout'), p(250, 'online'), p(300, 'disabled'), p(320, 'online')]]]);
    expect(recordingCoverage([r(0, 'recording')], gateways, 0, 400)).toEqual({
      recording_seconds: 330,
      not_recording_seconds: 0,
      unknown_seconds: 70,
      coverage_percent: 100,
      gaps: [
        { started_at: 200, ended_at: 250, status: 'unknown' },
        { started_at: 300, ended_at: 320, status: 'unknown' },
      ],
    });
  });

  it('is unknown when the reporting gateway is missing from the map or has no point yet', () => {
    expect(recordingCoverage([r(0, 'recording', 'ghost')], new Map([['g1', online()]]), 0, 100)).toEqual({
      recording_seconds: 0,
      not_recording_seconds: 0,
      unknown_seconds: 100,
      coverage_percent: null,
      gaps: [{ started_at: 0, ended_at: null, status: 'unknown' }],
    });
    expect(recordingCoverage([r(0, 'recording')], new Map([['g1', online(50)]]), 0, 100)).toEqual({
      recording_seconds: 50,
      not_recording_seconds: 0,
      unknown_seconds: 50,
      coverage_percent: 100,
      gaps: [{ started_at: 0, ended_at: 50, status: 'unknown' }],
    });
  });

  it('is all unknown without any report', () => {
    expect(recordingCoverage([], new Map(), 0, 100)).toEqual({
      recording_seconds: 0,
      not_recording_seconds: 0,
      unknown_seconds: 100,
      coverage_percent: null,
      gaps: [{ started_at: 0, ended_at: null, status: 'unknown' }],
    });
  });

  it('makes two gaps of idle then error', () => {
    const camera = [r(0, 'recording'), r(100, 'idle'), r(150, 'error'), r(200, 'recording')];
    expect(recordingCoverage(camera, new Map([['g1', online()]]), 0, 300)).toEqual({
      recording_seconds: 200,
      not_recording_seconds: 100,
      unknown_seconds: 0,
      coverage_percent: 66.667,
      gaps: [
        { started_at: 100, ended_at: 150, status: 'idle' },
        { started_at: 150, ended_at: 200, status: 'error' },
      ],
    });
  });

  it('merges repeated reports of one status into one gap', () => {
    const camera = [r(0, 'idle'), r(10, 'idle'), r(20, 'recording')];
    expect(recordingCoverage(camera, new Map([['g1', online()]]), 0, 30).gaps).toEqual([{ started_at: 0, ended_at: 20, status: 'idle' }]);
  });

  it('clips a gap that began before `from` and leaves ended_at null for one still going at `to`', () => {
    const camera = [r(0, 'recording'), r(50, 'idle'), r(500, 'recording')];
    expect(recordingCoverage(camera, new Map([['g1', online()]]), 100, 200)).toEqual({
      recording_seconds: 0,
      not_recording_seconds: 100,
      unknown_seconds: 0,
      coverage_percent: 0,
      gaps: [{ started_at: 100, ended_at: null, status: 'idle' }],
    });
  });

  it('gives ended_at = to for a gap ended by a change at exactly `to`', () => {
    expect(recordingCoverage([r(0, 'idle'), r(100, 'recording')], new Map([['g1', online()]]), 0, 100).gaps).toEqual([
      { started_at: 0, ended_at: 100, status: 'idle' },
    ]);
    expect(recordingCoverage([r(0, 'recording')], new Map([['g1', online(100)]]), 0, 100).gaps).toEqual([{ started_at: 0, ended_at: 100, status: 'unknown' }]);
  });

  it('ignores camera and gateway points after `to`', () => {
    const gateways = new Map([['g1', [p(0, 'online'), p(150, 'offline')]]]);
    expect(recordingCoverage([r(0, 'recording'), r(120, 'idle')], gateways, 0, 100)).toEqual({
      recording_seconds: 100,
      not_recording_seconds: 0,
      unknown_seconds: 0,
      coverage_percent: 100,
      gaps: [],
    });
  });

  it('lets the later of two reports at one second win', () => {
    const camera = [r(0, 'recording'), r(100, 'recording'), r(100, 'error')];
    expect(recordingCoverage(camera, new Map([['g1', online()]]), 0, 200)).toEqual({
      recording_seconds: 100,
      not_recording_seconds: 100,
      unknown_seconds: 0,
      coverage_percent: 50,
      gaps: [{ started_at: 100, ended_at: null, status: 'error' }],
    });
  });

  it('follows the new gateway once the camera moved to it', () => {
    const gateways = new Map([
      ['g1', [p(0, 'online'), p(500, 'offline', 'heartbeat_timeout')]],
      ['g2', [p(0, 'online'), p(100, 'offline', 'closed_by_gateway'), p(300, 'online')]],
    ]);
    const camera = [r(0, 'recording', 'g1'), r(200, 'recording', 'g2')];
    // g2 being offline over [100, 200) does not matter (g1 reported then); g1 going offline at 500 does not either.
    expect(recordingCoverage(camera, gateways, 0, 600)).toEqual({
      recording_seconds: 500,
      not_recording_seconds: 0,
      unknown_seconds: 100,
      coverage_percent: 100,
      gaps: [{ started_at: 200, ended_at: 300, status: 'unknown' }],
    });
  });

  it('splits a status across gateway outages into separate gaps and the three figures sum to to - from', () => {
    const gateways = new Map([['g1', [p(0, 'registered'), p(20, 'online'), p(60, 'offline', 'heartbeat_timeout'), p(80, 'online')]]]);
    const camera = [r(10, 'recording'), r(40, 'idle'), r(70, 'idle'), r(90, 'error'), r(110, 'recording')];
    const c = recordingCoverage(camera, gateways, 5, 125);
    expect(c).toEqual({
      recording_seconds: 35, // [20,40) + [110,125)
      not_recording_seconds: 50, // idle [40,60) + [80,90), error [90,110)
      unknown_seconds: 35, // before the first report [5,10), gateway not online [10,20) and [60,80)
      coverage_percent: 41.176, // 35 / 85
      gaps: [
        { started_at: 5, ended_at: 20, status: 'unknown' },
        { started_at: 40, ended_at: 60, status: 'idle' },
        { started_at: 60, ended_at: 80, status: 'unknown' },
        { started_at: 80, ended_at: 90, status: 'idle' },
        { started_at: 90, ended_at: 110, status: 'error' },
      ],
    });
    expect(c.recording_seconds + c.not_recording_seconds + c.unknown_seconds).toBe(125 - 5);
  });

  it('handles tens of thousands of points', () => {
    // Gateway flaps every 10 s (online on even tens); the camera alternates recording / idle every 15 s.
    const gateway = Array.from({ length: 40_000 }, (_, i) => p(i * 10, i % 2 === 0 ? 'online' : 'offline'));
    const camera = Array.from({ length: 26_667 }, (_, i) => r(i * 15, i % 2 === 0 ? 'recording' : 'idle'));
    const c = recordingCoverage(camera, new Map([['g1', gateway]]), 0, 399_990);
    // Per 60 s: gateway online [0,10) [20,30) [40,50); recording [0,15) [30,45) → recording 10 + 5 = 15, idle 5 + 10 = 15.
    expect(c.recording_seconds).toBe(6666 * 15 + 10); // 6666 whole minutes up to 399 960, then [399 960, 399 970) recording
    expect(c.not_recording_seconds).toBe(6666 * 15 + 10); // ... and [399 980, 399 990) idle
    expect(c.recording_seconds + c.not_recording_seconds + c.unknown_seconds).toBe(399_990);
    expect(c.gaps.slice(0, 4)).toEqual([
      { started_at: 10, ended_at: 20, status: 'unknown' },
      { started_at: 20, ended_at: 30, status: 'idle' },
      { started_at: 30, ended_at: 40, status: 'unknown' },
      { started_at: 45, ended_at: 50, status: 'idle' },
    ]);
  });
});
