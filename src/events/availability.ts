/*
 * Gateway availability and camera recording coverage over a time range, computed from state points
 * (what the event log says changed, and when). Pure: the caller loads the points.
 *
 * Times are whole unix seconds and the range [from, to] lasts to - from seconds. A point holds from
 * its `at` until the next point with a later `at`. Points of the same second apply in array order:
 * the last one is the state at that second, the ones before it held for no time at all.
 */

/** What the event log says a gateway is; 'registered' and 'deleted' count as neither up nor down. */
export type GatewayState = 'registered' | 'online' | 'offline' | 'disabled' | 'deleted';

/** A gateway's state from `at` (unix seconds, integer) on, until the next point. */
export interface StatePoint {
  at: number;
  state: GatewayState;
  reason: string | null;
  /** An offline for an operator's reboot (reason `rebooting`): planned until then (unix seconds), downtime after. */
  plannedUntil?: number | null;
}

/** An offline period clipped to the range: `ended_at` null when it was not over by `to`. */
export interface Outage {
  started_at: number;
  ended_at: number | null;
  duration_seconds: number;
  reason: string | null;
}

/** Seconds per state within the range, the uptime they give, and every outage in it. */
export interface Availability {
  online_seconds: number;
  offline_seconds: number;
  /** Offline for a reboot an operator asked for (an outage that began with reason `rebooting`, up to the reboot's deadline): planned, so not downtime. */
  planned_seconds: number;
  disabled_seconds: number;
  uptime_percent: number | null;
  outages: Outage[];
}

/** What a gateway says a camera is doing. */
export type RecordingState = 'recording' | 'idle' | 'error';

/** A camera's reported recording status from `at` on, as reported by gateway `gatewayId`. */
export interface RecordingPoint {
  at: number;
  gatewayId: string;
  status: RecordingState;
}

/** Why a camera was not known to record: it said so (idle, error), or nobody online could tell (unknown). */
export type GapStatus = 'idle' | 'error' | 'unknown';

/** A period of one non-recording status, clipped to the range: `ended_at` null when it was not over by `to`. */
export interface Gap {
  started_at: number;
  ended_at: number | null;
  status: GapStatus;
}

/** Seconds recording, not recording and unknown within the range (they sum to to - from), and every gap. */
export interface Coverage {
  recording_seconds: number;
  not_recording_seconds: number;
  unknown_seconds: number;
  coverage_percent: number | null;
  gaps: Gap[];
}

/** The reason of an outage that an operator's `gateway.reboot` began (v1.3). */
export const PLANNED_REASON = 'rebooting';

/**
 * How long a gateway was online, offline (unplanned, and planned: a reboot an operator asked
 * for) and disabled within [from, to], its uptime (online over online + unplanned offline:
 * disabled, planned, registered and not-yet-existing time are no fault of the link), and its
 * outages, planned ones included. Consecutive offline points make one outage, with the reason of the one that began
 * it, even when that was before `from`. `points` must be sorted by `at`; one pass, O(n).
 */
export function availability(points: StatePoint[], from: number, to: number): Availability {
  const seconds = { online: 0, offline: 0, disabled: 0, planned: 0 };
  const outages: Outage[] = [];
  let streak: StatePoint | null = null; // the first of the unbroken offline points up to now, in array order
  let run: { start: number; reason: string | null } | null = null; // the offline period going on
  for (const held of holds(points, to)) {
    for (let i = held.first; i <= held.last; i++) streak = points[i].state === 'offline' ? (streak ?? points[i]) : null;
    const { at, state } = points[held.last];
    if (state === 'offline' && streak!.reason === PLANNED_REASON) {
      // Planned up to the reboot's deadline (the whole outage when the event does not say), downtime after.
      const until = Math.min(held.end, Math.max(at, streak!.plannedUntil ?? held.end));
      seconds.planned += overlap(at, until, from, to);
      seconds.offline += overlap(until, held.end, from, to);
    } else if (state === 'online' || state === 'offline' || state === 'disabled') seconds[state] += overlap(at, held.end, from, to);
    if (state === 'offline') {
      run ??= { start: at, reason: streak!.reason };
    } else if (run) {
      const outage = clipOutage(run.start, at, run.reason, from, to);
      if (outage) outages.push(outage);
      run = null;
    }
  }
  if (run) {
    const outage = clipOutage(run.start, null, run.reason, from, to);
    if (outage) outages.push(outage);
  }
  return {
    online_seconds: seconds.online,
    offline_seconds: seconds.offline,
    planned_seconds: seconds.planned,
    disabled_seconds: seconds.disabled,
    uptime_percent: percent(seconds.online, seconds.online + seconds.offline),
    outages,
  };
}

/**
 * How much of [from, to] a camera is known to have recorded. A report counts only while the gateway
 * that sent it is online (per `gateways`, same point semantics as `availability`); before the first
 * report, or while that gateway is not online or unknown, the status is 'unknown'. Gaps are the
 * maximal periods of one non-recording status. Inputs sorted by `at`; O(n log m) for n camera and
 * m gateway points.
 */
export function recordingCoverage(camera: RecordingPoint[], gateways: ReadonlyMap<string, StatePoint[]>, from: number, to: number): Coverage {
  const online = new Map<string, Span<'online'>[]>();
  const onlineOf = (gatewayId: string): Span<'online'>[] => {
    let spans = online.get(gatewayId);
    if (!spans) online.set(gatewayId, (spans = onlineSpans(gateways.get(gatewayId) ?? [], to)));
    return spans;
  };

  const timeline: Span<Status>[] = [];
  let covered = from; // [from, covered) is in `timeline`
  for (const held of holds(camera, to)) {
    const { at, gatewayId, status } = camera[held.last];
    const start = Math.max(at, from);
    const end = Math.min(held.end, to);
    if (end <= start) continue;
    append(timeline, covered, start, 'unknown'); // before the first report
    const up = onlineOf(gatewayId);
    let t = start;
    for (let i = firstEndingAfter(up, start); i < up.length && up[i].start < end; i++) {
      const s = Math.max(up[i].start, start);
      const e = Math.min(up[i].end, end);
      append(timeline, t, s, 'unknown');
      append(timeline, s, e, status);
      t = e;
    }
    append(timeline, t, end, 'unknown');
    covered = end;
  }
  append(timeline, covered, to, 'unknown');

  let recording = 0;
  let notRecording = 0;
  for (const span of timeline) {
    if (span.status === 'recording') recording += span.end - span.start;
    else if (span.status !== 'unknown') notRecording += span.end - span.start;
  }
  const last = statusAt(camera, onlineOf, to);
  const gaps: Gap[] = [];
  for (const { start, end, status } of timeline) {
    if (status !== 'recording') gaps.push({ started_at: start, ended_at: end === to && status === last ? null : end, status });
  }
  return {
    recording_seconds: recording,
    not_recording_seconds: notRecording,
    unknown_seconds: to - from - recording - notRecording,
    coverage_percent: percent(recording, recording + notRecording),
    gaps,
  };
}

type Status = RecordingState | 'unknown';

/** `status` over [start, end), end > start. */
interface Span<S> {
  start: number;
  end: number;
  status: S;
}

/** Points first..last share one `at`; the last of them wins and holds until `end`. */
interface Hold {
  first: number;
  last: number;
  end: number;
}

/**
 * The states a sorted point list held for a positive time, oldest first, ignoring points after `to`:
 * each until the next later `at`, the last one until Infinity.
 */
function* holds(points: readonly { at: number }[], to: number): Generator<Hold> {
  let first = 0;
  while (first < points.length && points[first].at <= to) {
    let last = first;
    while (last + 1 < points.length && points[last + 1].at === points[first].at) last++;
    const next = points[last + 1];
    yield { first, last, end: next !== undefined && next.at <= to ? next.at : Infinity };
    first = last + 1;
  }
}

/** When a gateway was online, merged and oldest first, ignoring points after `to`. */
function onlineSpans(points: readonly StatePoint[], to: number): Span<'online'>[] {
  const spans: Span<'online'>[] = [];
  for (const held of holds(points, to)) if (points[held.last].state === 'online') append(spans, points[held.last].at, held.end, 'online');
  return spans;
}

/** The camera's status at instant `t`: the last report at or before it, if its gateway is online then. */
function statusAt(camera: readonly RecordingPoint[], onlineOf: (gatewayId: string) => Span<'online'>[], t: number): Status {
  const i = lastAtOrBefore(camera, t);
  if (i < 0) return 'unknown';
  const up = onlineOf(camera[i].gatewayId);
  const j = firstEndingAfter(up, t);
  return j < up.length && up[j].start <= t ? camera[i].status : 'unknown';
}

/** Adds [start, end) to a contiguous timeline, extending the last span when the status is the same; empty spans are dropped. */
function append<S>(spans: Span<S>[], start: number, end: number, status: S): void {
  if (end <= start) return;
  const prev = spans.at(-1);
  if (prev && prev.status === status && prev.end === start) prev.end = end;
  else spans.push({ start, end, status });
}

/** The offline period [start, end) as seen within the range (end null: not over by `to`); null when none of it falls inside. */
function clipOutage(start: number, end: number | null, reason: string | null, from: number, to: number): Outage | null {
  const started_at = Math.max(start, from);
  const duration_seconds = (end ?? to) - started_at;
  return duration_seconds > 0 ? { started_at, ended_at: end, duration_seconds, reason } : null;
}

/** Seconds of [start, end) inside [from, to). */
function overlap(start: number, end: number, from: number, to: number): number {
  return Math.max(0, Math.min(end, to) - Math.max(start, from));
}

/** 100 × part / whole to 3 decimals; null when there is nothing to divide. */
function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round(((100 * part) / whole) * 1000) / 1000;
}

/** Index of the first span ending after `t` (spans sorted and disjoint), or spans.length. Binary search. */
function firstEndingAfter(spans: readonly Span<unknown>[], t: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (spans[mid].end > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Index of the last point with `at` <= t (the winner of a tie), or -1. Binary search. */
function lastAtOrBefore(points: readonly { at: number }[], t: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid].at <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
