import { EndpointDoc } from '../common/api-docs';
import {
  CreatedWebhookResponse,
  DeliveryListResponse,
  DeliveryResponse,
  WebhookListResponse,
  WebhookResponse,
  WebhookSecretResponse,
} from './dto/webhook.dto';

const ID = '3a7c9e1f-5b2d-4c8a-9e6f-1d3b5a7c9e2f';
const WEBHOOK = {
  id: ID,
  url: 'https://hooks.example.com/novavms',
  event_types: ['gateway.offline', 'gateway.online'],
  site_ids: null,
  description: 'NOC pager',
  enabled: true,
  disabled_reason: null,
  created_at: '2026-04-21T14:00:00Z',
  updated_at: '2026-04-21T14:00:00Z',
};
const DELIVERY = {
  id: '7e2b4d6f-8a1c-4e3b-9d5f-2c4e6a8b0d1f',
  event_id: '0b8f3e2a-6c1d-4f7e-9a5b-3c2d1e0f9a8b',
  event_type: 'gateway.offline',
  attempt: 1,
  status: 'succeeded',
  response_status: 200,
  error: null,
  duration_ms: 38,
  attempted_at: '2026-04-21T14:20:35Z',
  next_attempt_at: null,
};
const NOT_FOUND = "Webhook not in caller's org, or beyond a site-scoped key's sites";
const curl = (method: string, path: string, body?: string) =>
  `curl -X ${method} -H "Authorization: Bearer sk_live_abc123"${body ? ` -H "Content-Type: application/json" \\\n  -d '${body}'` : ''} \\\n  https://novavms.novalien.com${path}`;
const samples = (method: string, path: string, sdk: string, body?: string) => [
  { lang: 'Shell', label: 'curl', source: curl(method, path, body) },
  { lang: 'JavaScript', label: 'JavaScript SDK', source: sdk },
];

export const WEBHOOK_DOCS = {
  create: {
    operationId: 'webhooks_create',
    summary: 'Create a webhook',
    description:
      "Deliver the org's events (of these types, of these sites) to an https endpoint, signed per Standard Webhooks with the secret returned here once (docs/webhooks.md). A site-scoped key must name `site_ids` within its own sites. The URL must be https and must not name a loopback, private, link-local, CGNAT, multicast or unspecified address; names are checked again after DNS on every attempt.",
    since: '1.2',
    status: 201,
    type: CreatedWebhookResponse,
    example: { ...WEBHOOK, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwJ8uBVmXx2Wk=' },
    errors: {
      validation_error: 'url not https or pointing at a forbidden address, unknown event type, "*" mixed with types, site_ids not sites of the org, unknown field',
      forbidden: 'Not an admin key, or a site-scoped key naming other sites or none',
    },
    codeSamples: samples('POST', '/api/v1/webhooks', "const hook = await novavms.webhooks.create({\n  url: 'https://hooks.example.com/novavms',\n  eventTypes: ['gateway.offline'],\n});", '{"url":"https://hooks.example.com/novavms","event_types":["gateway.offline"]}'),
  },
  list: {
    operationId: 'webhooks_list',
    summary: 'List webhooks',
    description: "The org's webhooks (a site-scoped key sees those confined to its sites), oldest first. Secrets are never listed.",
    since: '1.2',
    status: 200,
    type: WebhookListResponse,
    example: { data: [WEBHOOK], total: 1 },
    errors: { validation_error: 'Unknown query parameter or bad value', forbidden: 'Not an admin key' },
    codeSamples: samples('GET', '/api/v1/webhooks', 'const hooks = await novavms.webhooks.list();'),
  },
  get: {
    operationId: 'webhooks_get',
    summary: 'Get a webhook',
    description: 'One webhook, without its secret.',
    since: '1.2',
    status: 200,
    type: WebhookResponse,
    example: WEBHOOK,
    errors: { validation_error: 'The id is not a uuid', forbidden: 'Not an admin key', not_found: NOT_FOUND },
    codeSamples: samples('GET', `/api/v1/webhooks/${ID}`, `const hook = await novavms.webhooks.get('${ID}');`),
  },
  update: {
    operationId: 'webhooks_update',
    summary: 'Update a webhook',
    description: 'Change the URL, event types, sites or description, or pause (`enabled: false`) and resume it; `enabled: true` also re-enables an endpoint the service disabled.',
    since: '1.2',
    status: 200,
    type: WebhookResponse,
    example: WEBHOOK,
    errors: {
      validation_error: 'As for create, or no field to update',
      forbidden: 'Not an admin key, or a site-scoped key naming other sites or none',
      not_found: NOT_FOUND,
    },
    codeSamples: samples('PATCH', `/api/v1/webhooks/${ID}`, `await novavms.webhooks.update('${ID}', { enabled: false });`, '{"enabled":false}'),
  },
  delete: {
    operationId: 'webhooks_delete',
    summary: 'Delete a webhook',
    description: 'Stops deliveries to the endpoint and deletes its delivery log.',
    since: '1.2',
    status: 204,
    errors: { validation_error: 'The id is not a uuid', forbidden: 'Not an admin key', not_found: NOT_FOUND },
    codeSamples: samples('DELETE', `/api/v1/webhooks/${ID}`, `await novavms.webhooks.delete('${ID}');`),
  },
  rotateSecret: {
    operationId: 'webhooks_rotateSecret',
    summary: "Rotate a webhook's secret",
    description: 'A new signing secret, shown once. For 24 hours both secrets sign every delivery (two `v1,` signatures), so receivers can switch without missing one.',
    since: '1.2',
    status: 201,
    type: WebhookSecretResponse,
    example: { secret: 'whsec_2cP0X7mQbV9sR1tY4uW6zA8dF3gH5jK7lN9pQ2rS4tU=', previous_secret_expires_at: '2026-04-22T14:00:00Z' },
    errors: { validation_error: 'The id is not a uuid', forbidden: 'Not an admin key', not_found: NOT_FOUND },
    codeSamples: samples('POST', `/api/v1/webhooks/${ID}/rotate-secret`, `const { secret } = await novavms.webhooks.rotateSecret('${ID}');`),
  },
  test: {
    operationId: 'webhooks_test',
    summary: 'Send a test event',
    description: 'Queues a `webhook.test` event for this endpoint only (even when it is paused), signed and retried like any other; the answer is its first attempt, pending.',
    since: '1.2',
    status: 202,
    type: DeliveryResponse,
    example: { ...DELIVERY, event_type: 'webhook.test', status: 'pending', response_status: null, duration_ms: null, attempted_at: null, next_attempt_at: '2026-04-21T14:20:35Z' },
    errors: { validation_error: 'The id is not a uuid', forbidden: 'Not an admin key', not_found: NOT_FOUND },
    codeSamples: samples('POST', `/api/v1/webhooks/${ID}/test`, `const attempt = await novavms.webhooks.test('${ID}');`),
  },
  deliveries: {
    operationId: 'webhooks_deliveries',
    summary: "List a webhook's delivery attempts",
    description: 'Every attempt, oldest first: pending ones with when they are due, finished ones with the status code, error and duration, and when a failed one will be retried. Walk with `after` = `next_cursor`.',
    since: '1.2',
    status: 200,
    type: DeliveryListResponse,
    example: { data: [DELIVERY], next_cursor: '118' },
    errors: { validation_error: 'The id is not a uuid, or a bad status, after or limit', forbidden: 'Not an admin key', not_found: NOT_FOUND },
    codeSamples: samples('GET', `/api/v1/webhooks/${ID}/deliveries?status=failed`, `const page = await novavms.webhooks.deliveries('${ID}', { status: 'failed' });`),
  },
  redeliver: {
    operationId: 'webhooks_redeliver',
    summary: 'Redeliver an event',
    description: 'Sends the event of that attempt again (same `webhook-id` and body, fresh signature), as a new first attempt with its own retries.',
    since: '1.2',
    status: 202,
    type: DeliveryResponse,
    example: { ...DELIVERY, status: 'pending', response_status: null, duration_ms: null, attempted_at: null, next_attempt_at: '2026-04-21T15:02:11Z' },
    errors: { validation_error: 'An id is not a uuid', forbidden: 'Not an admin key', not_found: `${NOT_FOUND}; or no such attempt of this webhook` },
    codeSamples: samples('POST', `/api/v1/webhooks/${ID}/deliveries/${DELIVERY.id}/redeliver`, `await novavms.webhooks.redeliver('${ID}', '${DELIVERY.id}');`),
  },
} satisfies Record<string, EndpointDoc>;
