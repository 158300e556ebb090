import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { MediaTypeObject, OperationObject, ParameterObject, ReferenceObject, RequestBodyObject, SchemaObject, ServerObject } from '@nestjs/swagger';
import { ERROR_SCHEMAS } from '../common/api-docs';

const DESCRIPTION = `The NovaVMS gateway service pairs on-prem gateways to an organisation, keeps a live
WebSocket to each, knows which are online, shows their telemetry, and lets operators rename,
move, disable and unpair them.

Gateway pairing is a two-step flow: an operator generates a pairing code
(POST /api/v1/gateways/generate-pairing-code), the gateway redeems it via the public endpoint
(POST /api/v1/gateways/pair). Gateways do not heartbeat over REST — once paired they connect via
WebSocket at /api/v1/gateways/{id}/ws and push telemetry on that channel (see asyncapi.yaml).

Authenticate with \`Authorization: Bearer sk_live_...\`. Keys have a role (viewer < operator <
admin) and may be limited to a list of sites. Every error body is \`{"error", "message"}\`, plus
\`details\` for \`validation_error\`.`;

const TAGS: [string, string][] = [
  ['gateways', 'Pair, list, inspect, update and unpair gateways'],
  ['sites', 'Locations inside an org'],
  ['apiKeys', 'User API keys'],
  ['cameras', 'Cameras and the gateway that records each'],
  ['events', 'The gateway event log: what changed and when (since 1.2)'],
  ['webhooks', 'Signed deliveries of events to your endpoints (since 1.2)'],
  ['commands', 'Remote commands to gateways: reboot, restart, discover, probe (since 1.3)'],
  ['health', 'Liveness and readiness probes'],
];

/** Keys sorted at every level, so the serialised document is byte-stable between runs. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** The OpenAPI document of the running code, as committed in openapi/openapi.json. */
export function buildOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('NovaVMS Gateway API')
    .setDescription(DESCRIPTION)
    .setVersion(version)
    .addServer('https://novavms.novalien.com', 'Production')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'sk_live_...', description: 'A user API key' }, 'bearer')
    .addSecurityRequirements('bearer');
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    // internal_error is never promised by an operation, so its schema is not published.
    extraModels: Object.entries(ERROR_SCHEMAS)
      .filter(([code]) => code !== 'internal_error')
      .map(([, schema]) => schema),
    operationIdFactory: (_controller, method) => method,
  });
  // Public operations (health, pair) need no key: say so explicitly instead of inheriting the global requirement.
  for (const item of Object.values(document.paths)) {
    for (const op of Object.values(item) as { 'x-required-role'?: string; security?: unknown[] }[]) {
      if (op && typeof op === 'object' && op['x-required-role'] === 'public') op.security = [];
    }
  }
  describePathIds(document);
  closeRequestBodies(document);
  const health = document.components?.schemas?.HealthResponse as SchemaObject | undefined;
  // /healthz and /readyz answer {"status": "ok"} or an error body, nothing else.
  if (health?.properties?.status) Object.assign(health.properties.status, { enum: ['ok'] });
  // The one server is the public production API (OWASP API9: declare each server's audience).
  for (const server of document.servers ?? []) (server as ServerObject & { 'x-internal'?: boolean })['x-internal'] = false;
  document.info.license = { name: 'Proprietary' };
  return sortKeys(document) as OpenAPIObject;
}

/**
 * Path ids are read with UuidParam (ParseUUIDPipe: a uuid, else 400 validation_error), which the
 * swagger scanner only sees as a plain string.
 */
function describePathIds(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const op of Object.values(item) as OperationObject[]) {
      for (const param of (op && typeof op === 'object' && op.parameters) || []) {
        const p = param as ParameterObject;
        const schema = p.schema as SchemaObject | undefined;
        if (p.in === 'path' && /^(id|.+_id)$/.test(p.name) && schema?.type === 'string' && !schema.format) {
          Object.assign(schema, { format: 'uuid', maxLength: 36 });
        }
      }
    }
  }
}

/**
 * Request bodies are whitelists (createValidationPipe: forbidNonWhitelisted), so an unknown field
 * is a 400: say so with additionalProperties: false on every schema a request body refers to.
 */
function closeRequestBodies(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  for (const item of Object.values(document.paths)) {
    for (const op of Object.values(item) as OperationObject[]) {
      const body = op && typeof op === 'object' ? (op.requestBody as RequestBodyObject | undefined) : undefined;
      for (const media of Object.values(body?.content ?? {}) as MediaTypeObject[]) {
        const ref = (media.schema as ReferenceObject | undefined)?.$ref;
        const schema = ref?.startsWith('#/components/schemas/') ? (schemas[ref.slice('#/components/schemas/'.length)] as SchemaObject) : undefined;
        if (schema?.type === 'object') schema.additionalProperties = false;
      }
    }
  }
}
