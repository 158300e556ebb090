import { codeSamples, EndpointDoc } from '../common/api-docs';
import { GatewayListResponse, GatewayResponse } from './dto/gateway.dto';

const BASE = 'https://novavms.novalien.com';
const ID = '8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c';

const GATEWAY_EXAMPLE = {
  id: ID,
  name: 'Acme Logistics — Warehouse A',
  site_id: 'b5e9f3a1-2c4d-4e6f-8a1b-3c5d7e9f1a2b',
  status: 'online',
  version: '2026.04.12',
  local_ip: '192.168.10.24',
  last_heartbeat_at: '2026-04-21T14:20:04Z',
};

const samples = codeSamples;

/** The published Gateway API's text for each gateway operation (openapi/openapi.json is built from it), kept beside the code it documents. */
export const GATEWAY_DOCS = {
  list: {
    operationId: 'gateways_list',
    summary: 'List gateways',
    description:
      "List gateways in the caller's org. A site-scoped key sees only its sites' gateways. Filter with `site_id` and `status`; page with `limit` (1–1000, default 100) and `offset`; `total` counts every match.",
    since: '1.0',
    status: 200,
    type: GatewayListResponse,
    example: { data: [GATEWAY_EXAMPLE], total: 1 },
    errors: {
      validation_error: 'Unknown query parameter or bad value',
      forbidden: 'Role insufficient',
    },
    codeSamples: samples(
      `curl -H "Authorization: Bearer sk_live_abc123" \\\n  ${BASE}/api/v1/gateways`,
      'const gateways = await novavms.gateways.list();',
      'gateways = client.gateways.list()',
    ),
  },
  get: {
    operationId: 'gateways_get',
    summary: 'Get a gateway',
    description: 'Return a single gateway.',
    since: '1.0',
    status: 200,
    type: GatewayResponse,
    example: { ...GATEWAY_EXAMPLE, created_at: '2026-02-01T09:00:00Z' },
    errors: {
      validation_error: 'The id is not a uuid',
      not_found: "Gateway not in caller's org",
    },
    codeSamples: samples(
      `curl -H "Authorization: Bearer sk_live_abc123" \\\n  ${BASE}/api/v1/gateways/${ID}`,
      `const gw = await novavms.gateways.get('${ID}');`,
      `gw = client.gateways.get("${ID}")`,
    ),
  },
  update: {
    operationId: 'gateways_update',
    summary: 'Update a gateway',
    description:
      'Update gateway metadata. Only name, site_id, and status are accepted. status may be set to disabled or offline only; valid transitions are online|offline|registered → disabled and disabled → offline. Disabling closes the gateway\'s WebSocket (4403) and makes its unredeemed pairing code unusable.',
    since: '1.0',
    status: 200,
    type: GatewayResponse,
    responseDescription: 'Returns the updated gateway — same shape as GET /api/v1/gateways/{id}.',
    example: { ...GATEWAY_EXAMPLE, name: 'Acme Logistics — Warehouse A (Rev 2)', created_at: '2026-02-01T09:00:00Z' },
    errors: {
      validation_error: 'No valid fields, invalid status, or invalid transition',
      forbidden: 'Role insufficient, or site_id outside the key\'s sites',
      not_found: "Gateway not in caller's org",
      payload_too_large: 'Body over 64 KiB',
    },
    codeSamples: samples(
      `curl -X PATCH ${BASE}/api/v1/gateways/${ID} \\\n  -H "Authorization: Bearer sk_live_abc123" \\\n  -H "Content-Type: application/json" \\\n  -d '{"name":"Acme Logistics — Warehouse A (Rev 2)"}'`,
      `await novavms.gateways.update('${ID}', {\n  name: 'Acme Logistics — Warehouse A (Rev 2)',\n});`,
      `client.gateways.update(\n    "${ID}",\n    name="Acme Logistics — Warehouse A (Rev 2)",\n)`,
    ),
  },
  delete: {
    operationId: 'gateways_delete',
    summary: 'Delete (unpair) a gateway',
    description:
      "Unpair the gateway and remove it from the org. All cameras bound to this gateway must be moved or deleted first. Its key stops working and its WebSocket closes (4404).",
    since: '1.0',
    status: 204,
    errors: {
      validation_error: 'Gateway still has bound cameras (or the id is not a uuid)',
      forbidden: 'Role insufficient',
      not_found: "Gateway not in caller's org",
    },
    codeSamples: samples(
      `curl -X DELETE ${BASE}/api/v1/gateways/${ID} \\\n  -H "Authorization: Bearer sk_live_abc123"`,
      `await novavms.gateways.delete('${ID}');`,
      `client.gateways.delete("${ID}")`,
    ),
  },
} satisfies Record<string, EndpointDoc>;
