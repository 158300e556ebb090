import { codeSamples, curlSample, EndpointDoc } from '../common/api-docs';
import { PairingCodeResponse, PairResponse, RepairingCodeResponse } from './dto/pairing.dto';

const BASE = 'https://novavms.novalien.com';

export const PAIRING_DOCS = {
  generate: {
    operationId: 'gateways_generatePairingCode',
    summary: 'Generate a pairing code',
    description:
      'Generate a 6-character pairing code. The returned code is redeemable via POST /api/v1/gateways/pair for 10 minutes. Maximum 5 active (unredeemed) codes per org. Creates the gateway (status `registered`) and returns its id.',
    since: '1.0',
    status: 201,
    type: PairingCodeResponse,
    example: { id: '8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c', pairing_code: 'A7B3CX', expires_at: '2026-04-21T14:30:00Z', status: 'registered' },
    errors: {
      validation_error: 'Missing name or site_id (or site_id not in the caller\'s org)',
      forbidden: 'Role insufficient, or site_id outside the key\'s sites',
      rate_limited: 'More than 5 active pairing codes',
      payload_too_large: 'Body over 64 KiB',
    },
    codeSamples: [
      {
        lang: 'Shell',
        label: 'curl',
        source: `curl -X POST ${BASE}/api/v1/gateways/generate-pairing-code \\\n  -H "Authorization: Bearer sk_live_abc123" \\\n  -H "Content-Type: application/json" \\\n  -d '{"name":"Acme Logistics — Warehouse A","site_id":"b5e9f3a1-2c4d-4e6f-8a1b-3c5d7e9f1a2b"}'`,
      },
      {
        lang: 'JavaScript',
        label: 'JavaScript SDK',
        source: "const pairing = await novavms.gateways.generatePairingCode({\n  name: 'Acme Logistics — Warehouse A',\n  siteId: 'b5e9f3a1-2c4d-4e6f-8a1b-3c5d7e9f1a2b',\n});",
      },
      {
        lang: 'Python',
        label: 'Python SDK',
        source: 'pairing = client.gateways.generate_pairing_code(\n    name="Acme Logistics — Warehouse A",\n    site_id="b5e9f3a1-2c4d-4e6f-8a1b-3c5d7e9f1a2b",\n)',
      },
    ],
  },
  pair: {
    operationId: 'gateways_pair',
    summary: 'Redeem a pairing code',
    description:
      'Redeem a pairing code. This is a public endpoint — the gateway itself calls it on first boot to claim an API key. It must not be called by other clients. The code ignores case, spaces and dashes. Repeated unknown codes from one address are refused with 429.',
    since: '1.0',
    status: 200,
    type: PairResponse,
    example: {
      gateway_id: '8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c',
      api_key: 'gw_ABCDEF0123456789...',
      org_id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      ice_servers: [{ urls: ['turn:turn.novavms.novalien.com:3478'], username: 'novavms', credential: 'ephemeral-credential' }],
    },
    errors: {
      validation_error: 'Missing pairing_code',
      not_found: 'Unknown pairing code',
      conflict: 'Code already redeemed',
      gone: 'Code expired (older than 10 minutes)',
      rate_limited: 'Too many unknown codes from this address',
      payload_too_large: 'Body over 64 KiB',
    },
    codeSamples: [
      {
        lang: 'Shell',
        label: 'curl',
        source: `curl -X POST ${BASE}/api/v1/gateways/pair \\\n  -H "Content-Type: application/json" \\\n  -d '{"pairing_code":"A7B3CX","name":"Acme Logistics — Warehouse A","version":"2026.04.12","local_ip":"192.168.10.24"}'`,
      },
      {
        lang: 'JavaScript',
        label: 'JavaScript SDK',
        source: "const paired = await novavms.gateways.pair({\n  pairingCode: 'A7B3CX',\n  name: 'Acme Logistics — Warehouse A',\n  version: '2026.04.12',\n  localIp: '192.168.10.24',\n});",
      },
      {
        lang: 'Python',
        label: 'Python SDK',
        source: 'paired = client.gateways.pair(\n    pairing_code="A7B3CX",\n    name="Acme Logistics — Warehouse A",\n    version="2026.04.12",\n    local_ip="192.168.10.24",\n)',
      },
    ],
  },
  reissue: {
    operationId: 'gateways_createPairingCode',
    summary: 'Generate a code that pairs a gateway again',
    description:
      'A pairing code for an existing gateway (a replaced box, a lost or stolen key): POST /api/v1/gateways/pair with it returns a new key for the same gateway id, with its cameras, configuration and history, and revokes its keys before (a connection made with one closes with 4401). It counts toward the 5 active codes of the org and lives 10 minutes like any other. Not for a disabled gateway.',
    since: '1.3',
    status: 201,
    type: RepairingCodeResponse,
    example: { id: '8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c', pairing_code: 'K4M7QZ', expires_at: '2026-04-21T14:30:00Z', status: 'offline' },
    errors: {
      validation_error: 'The id is not a uuid',
      forbidden: 'A viewer key',
      not_found: "Gateway not in caller's org, or beyond a site-scoped key's sites",
      conflict: 'The gateway is disabled',
      rate_limited: 'More than 5 active pairing codes',
    },
    codeSamples: codeSamples(
      curlSample('POST', '/api/v1/gateways/8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c/pairing-code'),
      "const pairing = await novavms.gateways.createPairingCode('8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c');",
      'pairing = client.gateways.create_pairing_code("8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c")',
    ),
  },
} satisfies Record<string, EndpointDoc>;
