import { codeSamples, curlSample, EndpointDoc } from '../common/api-docs';
import { GatewayConfigResponse } from './dto/gateway-config.dto';

const GATEWAY_ID = '8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c';
const CAMERA_ID = '550e8400-e29b-41d4-a716-446655440000';
const DESIRED = { heartbeat_interval_s: 10, log_level: 'info', timezone: 'Europe/Berlin', cameras: { [CAMERA_ID]: { recording: 'motion', fps: 15 } } };
const CONFIG = { desired: DESIRED, desired_version: 7, reported: DESIRED, applied_version: 7, reported_at: '2026-04-21T14:20:05Z', sync: 'in_sync', errors: [] };
const NOT_FOUND = "Gateway not in caller's org, or beyond a site-scoped key's sites";
const PATH = `/api/v1/gateways/${GATEWAY_ID}/config`;
const curl = (method: string, extra = '') => curlSample(method, PATH, extra);
const samples = codeSamples;
const WRITE_ERRORS = {
  validation_error: 'Not the schema (GET /api/v1/config-schema): an unknown field, a value out of range, a camera not bound to this gateway; or a malformed If-Match',
  forbidden: 'A viewer key',
  not_found: NOT_FOUND,
  conflict: 'The gateway never declared config.v1 in a session frame',
  precondition_failed: 'If-Match names another version than the current one: read it again, apply your change, write with the new ETag',
  payload_too_large: 'The document would be over 32 KiB',
};

export const CONFIG_DOCS = {
  get: {
    operationId: 'config_get',
    summary: "Get a gateway's configuration",
    description:
      'What operators want the gateway to run (`desired`, at `desired_version`, also the `ETag`), what it last reported (`reported`, `applied_version`), and where it stands (`sync`). Write with `If-Match: <ETag>` so that a concurrent change is not overwritten (docs/configuration.md).',
    since: '1.3',
    status: 200,
    type: GatewayConfigResponse,
    example: CONFIG,
    errors: { validation_error: 'The id is not a uuid', not_found: NOT_FOUND },
    codeSamples: samples(curl('GET'), `const { config, etag } = await novavms.config.get('${GATEWAY_ID}');`),
  },
  put: {
    operationId: 'config_put',
    summary: "Replace a gateway's configuration",
    description:
      'The body is the whole desired document. Each change is one version up and a `gateway.config_changed` event (with the actor and the paths changed); the gateway is sent the new document at once if it is connected, or when it next connects behind. A document equal to the current one changes nothing (same version, no event).',
    since: '1.3',
    status: 200,
    type: GatewayConfigResponse,
    example: CONFIG,
    errors: WRITE_ERRORS,
    codeSamples: samples(
      curl('PUT', ` -H 'If-Match: "7"' -H "Content-Type: application/json" \\\n  -d '{"log_level":"debug","cameras":{"${CAMERA_ID}":{"recording":"continuous"}}}'`),
      `await novavms.config.put('${GATEWAY_ID}', { log_level: 'debug' }, { ifMatch: etag });`,
    ),
  },
  patch: {
    operationId: 'config_patch',
    summary: "Change part of a gateway's configuration",
    description: 'A JSON merge patch (RFC 7396, `Content-Type: application/merge-patch+json`) of the desired document: members merge, `null` deletes. Otherwise as PUT.',
    since: '1.3',
    status: 200,
    type: GatewayConfigResponse,
    example: CONFIG,
    errors: WRITE_ERRORS,
    codeSamples: samples(
      curl('PATCH', ` -H 'If-Match: "7"' -H "Content-Type: application/merge-patch+json" \\\n  -d '{"log_level":null,"cameras":{"${CAMERA_ID}":{"fps":10}}}'`),
      `await novavms.config.patch('${GATEWAY_ID}', { cameras: { '${CAMERA_ID}': { fps: 10 } } }, { ifMatch: etag });`,
    ),
  },
  schema: {
    operationId: 'config_schema',
    summary: 'Get the configuration schema',
    description: 'The JSON Schema (draft-07) every desired document is validated with. Camera keys must also be cameras bound to the gateway, and `timezone` an IANA time zone.',
    since: '1.3',
    status: 200,
    example: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', additionalProperties: false, properties: { log_level: { enum: ['debug', 'info', 'warn', 'error'] } } },
    responseDescription: 'A JSON Schema document',
    errors: {},
    codeSamples: samples(`curl -H "Authorization: Bearer sk_live_abc123" \\\n  https://novavms.novalien.com/api/v1/config-schema`, 'const schema = await novavms.config.schema();'),
  },
} satisfies Record<string, EndpointDoc>;
