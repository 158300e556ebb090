import { EndpointDoc } from '../common/api-docs';
import { AvailabilityResponse, EventListResponse, RecordingCoverageResponse } from './dto/event.dto';

const GATEWAY = '8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c';
const CAMERA = '550e8400-e29b-41d4-a716-446655440000';
const SITE = 'b5e9f3a1-2c4d-4e6f-8a1b-3c5d7e9f1a2b';
const ORG = '6c1e8d2f-3a4b-4c5d-9e6f-7a8b9c0d1e2f';

const RANGE_ERRORS = {
  validation_error: 'The id is not a uuid; from or to is not an RFC 3339 date-time, from is not before to, or from is older than the retention (EVENTS_RETENTION_DAYS)',
};

export const EVENTS_DOCS = {
  list: {
    operationId: 'events_list',
    summary: 'List gateway events',
    description:
      "The org's gateway and camera events, oldest first: a gateway registered, paired, online, offline, disabled, enabled, updated or deleted, and a camera's recording status changing (docs/events.md lists every type and its data). Walk the log with `after`: pass each page's `next_cursor` to read on; a reader that does so sees every event exactly once, and may keep polling with the last cursor for new events. A site-scoped key sees the events of its sites only. Events are kept EVENTS_RETENTION_DAYS days (default 90).",
    since: '1.2',
    status: 200,
    type: EventListResponse,
    example: {
      data: [
        {
          id: '0b8f3e2a-6c1d-4f7e-9a5b-3c2d1e0f9a8b',
          seq: 1043,
          type: 'gateway.offline',
          occurred_at: '2026-04-21T14:20:34Z',
          org_id: ORG,
          site_id: SITE,
          gateway_id: GATEWAY,
          data: { previous_status: 'online', reason: 'heartbeat_timeout' },
        },
      ],
      next_cursor: '1043',
    },
    errors: {
      validation_error: 'A filter is malformed: an unknown type, a gateway_id or site_id that is not a uuid, since not RFC 3339, after not a cursor, limit outside 1–1000',
    },
    codeSamples: [
      { lang: 'Shell', label: 'curl', source: `curl -H "Authorization: Bearer sk_live_abc123" \\\n  "https://novavms.novalien.com/api/v1/events?type=gateway.offline&after=1042"` },
      { lang: 'JavaScript', label: 'JavaScript SDK', source: `const page = await novavms.events.list({ type: 'gateway.offline', after: cursor });\ncursor = page.next_cursor;` },
      { lang: 'Python', label: 'Python SDK', source: `page = client.events.list(type="gateway.offline", after=cursor)` },
    ],
  },
  availability: {
    operationId: 'gateways_availability',
    summary: "Get a gateway's availability",
    description:
      'Seconds online, offline, planned (offline for a `gateway.reboot` command, v1.3) and disabled within a range (default: the last 24 hours), the uptime percentage (planned time left out) and every outage, computed exactly from the event log: the same range always gives the same figures. An outage already going at `from` is counted from `from`. Time before the gateway was paired counts nowhere.',
    since: '1.2',
    status: 200,
    type: AvailabilityResponse,
    example: {
      from: '2026-04-20T00:00:00Z',
      to: '2026-04-21T00:00:00Z',
      online_seconds: 85948,
      offline_seconds: 452,
      planned_seconds: 0,
      disabled_seconds: 0,
      uptime_percent: 99.477,
      outages: [{ started_at: '2026-04-20T03:12:09Z', ended_at: '2026-04-20T03:19:41Z', duration_seconds: 452, reason: 'heartbeat_timeout' }],
    },
    errors: { ...RANGE_ERRORS, not_found: "Gateway not in caller's org or sites" },
    codeSamples: [
      { lang: 'Shell', label: 'curl', source: `curl -H "Authorization: Bearer sk_live_abc123" \\\n  "https://novavms.novalien.com/api/v1/gateways/${GATEWAY}/availability?from=2026-04-20T00:00:00Z&to=2026-04-21T00:00:00Z"` },
      { lang: 'JavaScript', label: 'JavaScript SDK', source: `const a = await novavms.gateways.availability('${GATEWAY}', {\n  from: '2026-04-20T00:00:00Z',\n  to: '2026-04-21T00:00:00Z',\n});` },
      { lang: 'Python', label: 'Python SDK', source: `a = client.gateways.availability("${GATEWAY}", from_="2026-04-20T00:00:00Z")` },
    ],
  },
  recordingCoverage: {
    operationId: 'cameras_recordingCoverage',
    summary: "Get a camera's recording coverage",
    description:
      "Seconds the camera was recording, not recording (idle or error) and unknown within a range (default: the last 24 hours), from the statuses its gateway reported; time while that gateway was not online, or before its first report, is unknown. Every period not known to record is listed as a gap.",
    since: '1.2',
    status: 200,
    type: RecordingCoverageResponse,
    example: {
      from: '2026-04-20T00:00:00Z',
      to: '2026-04-21T00:00:00Z',
      recording_seconds: 85948,
      not_recording_seconds: 0,
      unknown_seconds: 452,
      coverage_percent: 100,
      gaps: [{ started_at: '2026-04-20T03:12:09Z', ended_at: '2026-04-20T03:19:41Z', status: 'unknown' }],
    },
    errors: { ...RANGE_ERRORS, not_found: "Camera not in caller's org or sites" },
    codeSamples: [
      { lang: 'Shell', label: 'curl', source: `curl -H "Authorization: Bearer sk_live_abc123" \\\n  "https://novavms.novalien.com/api/v1/cameras/${CAMERA}/recording-coverage?from=2026-04-20T00:00:00Z"` },
      { lang: 'JavaScript', label: 'JavaScript SDK', source: `const c = await novavms.cameras.recordingCoverage('${CAMERA}', {\n  from: '2026-04-20T00:00:00Z',\n});` },
      { lang: 'Python', label: 'Python SDK', source: `c = client.cameras.recording_coverage("${CAMERA}", from_="2026-04-20T00:00:00Z")` },
    ],
  },
} satisfies Record<string, EndpointDoc>;
