import { codeSamples, curlSample, EndpointDoc } from '../common/api-docs';
import { CredentialResponse, MAX_LISTED_KEYS, RotationResponse } from './dto/credentials.dto';

const GATEWAY_ID = '8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c';
const ACTIVE = {
  id: '5b2e9c4a-7d1f-4e3a-8c6b-2f9d0e1a3b4c',
  state: 'active',
  created_at: '2026-04-22T09:12:38Z',
  last_used_at: '2026-04-22T09:12:40Z',
  last_peer_address: '198.51.100.7',
  expires_at: null,
};
const RETIRING = { ...ACTIVE, id: '0c7d1e3f-5a2b-4c8d-9e6f-1a3b5c7d9e0f', state: 'retiring', created_at: '2026-04-21T14:20:04Z', last_used_at: '2026-04-22T09:12:31Z', expires_at: '2026-04-23T09:12:40Z' };
const NOT_FOUND = "Gateway not in caller's org, or beyond a site-scoped key's sites";
const curl = curlSample;
const samples = codeSamples;

export const CREDENTIAL_DOCS = {
  list: {
    operationId: 'credentials_list',
    summary: "List a gateway's keys",
    description:
      "The gateway's keys (its newest 100), oldest first, never the key itself: `active`, during a rotation's grace the `retiring` key before it, and the keys revoked. With each, when and from which client address it was last used. A rotation's new key is listed once the gateway has connected with it (docs/credentials.md).",
    since: '1.3',
    status: 200,
    type: CredentialResponse,
    arrayOf: { maxItems: MAX_LISTED_KEYS },
    example: [RETIRING, ACTIVE],
    errors: { validation_error: 'The id is not a uuid', forbidden: 'A key below admin', not_found: NOT_FOUND },
    codeSamples: samples(curl('GET', `/api/v1/gateways/${GATEWAY_ID}/credentials`), `const keys = await novavms.credentials.list('${GATEWAY_ID}');`, `keys = client.credentials.list("${GATEWAY_ID}")`),
  },
  rotate: {
    operationId: 'credentials_rotateKey',
    summary: "Rotate a gateway's key",
    description:
      "Starts a rotation: the instance holding the gateway's socket sends it a new key (`rotate_key`, at once when it is connected, else on its next connection); the gateway stores it, acknowledges, and connects with it. That first connection makes the new key `active` and the key before it `retiring` for `grace_s` (then refused; 0: at once), and is the `gateway.key_rotated` event. A connection with the retiring key meanwhile is a `gateway.retired_key_used` event. Only for a paired, enabled gateway whose session declared `credentials.v1`; one rotation at a time.",
    since: '1.3',
    status: 202,
    type: RotationResponse,
    example: { rotation_id: 'e3a1c5b7-9d2f-4a6c-8e0b-1f3d5a7c9e2b', status: 'pending' },
    errors: {
      validation_error: 'The id is not a uuid, grace_s is not an integer 0–604800, or an unknown field',
      forbidden: 'A key below admin',
      not_found: NOT_FOUND,
      conflict: 'A rotation of the gateway is not finished; or the gateway is not paired, disabled, or never declared credentials.v1',
      payload_too_large: 'Body over 64 KiB',
    },
    codeSamples: samples(
      curl('POST', `/api/v1/gateways/${GATEWAY_ID}/rotate-key`, ` -H "Content-Type: application/json" \\\n  -d '{"grace_s":3600}'`),
      `const rotation = await novavms.credentials.rotateKey('${GATEWAY_ID}', { graceS: 3600 });`,
      `rotation = client.credentials.rotate_key("${GATEWAY_ID}", grace_s=3600)`,
    ),
  },
  revoke: {
    operationId: 'credentials_revokeKeys',
    summary: "Revoke every key of a gateway",
    description:
      "Revokes the gateway's keys at once — active, retiring, and a rotation's new key (the rotation is canceled) — and closes its socket with 4401 wherever it is; the next upgrade with any of them is 401, on every instance. The gateway keeps its id, cameras, configuration and history; a code from POST /api/v1/gateways/{id}/pairing-code pairs it again. Answers the keys as they are now.",
    since: '1.3',
    status: 200,
    type: CredentialResponse,
    arrayOf: { maxItems: MAX_LISTED_KEYS },
    example: [{ ...RETIRING, state: 'revoked', expires_at: null }, { ...ACTIVE, state: 'revoked' }],
    errors: { validation_error: 'The id is not a uuid', forbidden: 'A key below admin', not_found: NOT_FOUND },
    codeSamples: samples(curl('POST', `/api/v1/gateways/${GATEWAY_ID}/revoke-keys`), `const keys = await novavms.credentials.revokeKeys('${GATEWAY_ID}');`, `keys = client.credentials.revoke_keys("${GATEWAY_ID}")`),
  },
} satisfies Record<string, EndpointDoc>;
