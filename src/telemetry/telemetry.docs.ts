import { EndpointDoc } from '../common/api-docs';
import { TelemetryResponse } from './dto/telemetry.dto';

const ID = '8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c';

export const TELEMETRY_DOCS = {
  snapshot: {
    operationId: 'gateways_telemetry',
    summary: 'Get the telemetry snapshot',
    description:
      'Return the latest telemetry reported by the gateway over its WebSocket (CPU, memory, last heartbeat, recording status, network throughput). There is no REST heartbeat endpoint — the gateway pushes heartbeats on its WebSocket channel at /api/v1/gateways/{id}/ws; use this telemetry snapshot to observe them. Before the first report, numbers and the timestamp are null and the objects empty.',
    since: '1.1',
    status: 200,
    type: TelemetryResponse,
    example: {
      gateway_id: ID,
      cpu_percent: 18.4,
      memory_mb: 742,
      last_heartbeat_at: '2026-04-21T14:20:04Z',
      camera_recording_status: { '550e8400-e29b-41d4-a716-446655440000': 'recording' },
      network_throughput: { upstream_mbps: 5.2, downstream_mbps: 28.6 },
    },
    errors: {
      validation_error: 'The id is not a uuid',
      not_found: "Gateway not in caller's org",
    },
    codeSamples: [
      { lang: 'Shell', label: 'curl', source: `curl -H "Authorization: Bearer sk_live_abc123" \\\n  https://novavms.novalien.com/api/v1/gateways/${ID}/telemetry` },
      { lang: 'JavaScript', label: 'JavaScript SDK', source: `const telemetry = await novavms.gateways.telemetry(\n  '${ID}',\n);` },
      { lang: 'Python', label: 'Python SDK', source: `telemetry = client.gateways.telemetry("${ID}")` },
    ],
  },
} satisfies Record<string, EndpointDoc>;
