import { codeSamples, curlSample, EndpointDoc } from '../common/api-docs';
import { CommandListResponse, CommandResponse } from './dto/command.dto';

const GATEWAY_ID = '8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c';
const ID = 'c41d2e8f-6a3b-4f9c-8e1d-5b7a9c2e4f60';
const COMMAND = {
  id: ID,
  gateway_id: GATEWAY_ID,
  type: 'network.probe',
  params: { host: '192.168.10.31', port: 554 },
  status: 'succeeded',
  attempt: 1,
  timeout_s: 60,
  created_at: '2026-04-21T14:20:00Z',
  expires_at: '2026-04-21T14:25:00Z',
  sent_at: '2026-04-21T14:20:00Z',
  accepted_at: '2026-04-21T14:20:00Z',
  completed_at: '2026-04-21T14:20:01Z',
  result: { reachable: true, latency_ms: 3.2 },
  error: null,
  late_result: null,
  actor: { key_id: '2d4f6a8c-1e3b-4d5f-9a7c-8e0b2d4f6a1c', key_name: 'NOC operator' },
};
const QUEUED = { ...COMMAND, status: 'queued', attempt: 0, sent_at: null, accepted_at: null, completed_at: null, result: null };
const NOT_FOUND = "Command not in caller's org, or its gateway beyond a site-scoped key's sites";
const curl = curlSample;
const samples = codeSamples;

export const COMMAND_DOCS = {
  create: {
    operationId: 'commands_create',
    summary: 'Send a command to a gateway',
    description:
      'Queues a command; the instance holding the gateway\'s socket sends it at once, or when the gateway connects within `expires_in_s`. The gateway acknowledges (`accepted` or `rejected`) and reports the result; no result within `timeout_s` of `sent_at` is `timed_out`. Types: `gateway.reboot` (succeeds when the gateway comes back with a new boot id), `gateway.restart_service`, `camera.reboot {camera_id}`, `cameras.discover {timeout_s?}`, `network.probe {host, port}`. With an `Idempotency-Key`, the same request within 24 h returns the same command (200) and another request with that key is 409. Only a gateway that declared `commands.v1` in its session frame takes commands; at most 16 unfinished per gateway. Each end state is an event (`command.succeeded`, ...), delivered by webhooks (docs/commands.md).',
    since: '1.3',
    status: 201,
    alsoStatus: { status: 200, description: 'The Idempotency-Key names a command made earlier with the same request: that command, as it is now' },
    type: CommandResponse,
    example: QUEUED,
    errors: {
      validation_error: 'Unknown type, params that do not fit the type (a camera not bound to this gateway), timeout_s or expires_in_s out of range, a malformed Idempotency-Key, unknown field',
      forbidden: 'A viewer key',
      not_found: "Gateway not in caller's org, or beyond a site-scoped key's sites",
      conflict: 'The gateway never declared commands.v1, is disabled, or is offline with expires_in_s 0; or the Idempotency-Key was used for another request',
      rate_limited: 'The gateway has 16 unfinished commands; Retry-After says when the first of them must end',
    },
    codeSamples: samples(
      curl('POST', `/api/v1/gateways/${GATEWAY_ID}/commands`, ` -H "Idempotency-Key: probe-rtsp-1" -H "Content-Type: application/json" \\\n  -d '{"type":"network.probe","params":{"host":"192.168.10.31","port":554}}'`),
      `const command = await novavms.commands.create('${GATEWAY_ID}', {\n  type: 'network.probe',\n  params: { host: '192.168.10.31', port: 554 },\n});\nconst done = await novavms.commands.wait(command.id);`,
    ),
  },
  list: {
    operationId: 'commands_list',
    summary: "List a gateway's commands",
    description: 'Oldest first; filter by `status`, page with `after` (the `next_cursor` of the previous page) and `limit`.',
    since: '1.3',
    status: 200,
    type: CommandListResponse,
    example: { data: [COMMAND], next_cursor: '1043' },
    errors: { validation_error: 'Unknown query parameter or bad value', not_found: "Gateway not in caller's org, or beyond a site-scoped key's sites" },
    codeSamples: samples(curl('GET', `/api/v1/gateways/${GATEWAY_ID}/commands?status=queued`), `const page = await novavms.commands.list('${GATEWAY_ID}', { status: 'queued' });`),
  },
  get: {
    operationId: 'commands_get',
    summary: 'Get a command',
    description: 'One command. With `wait_s` (up to 30) the answer is held until the command is finished or the wait ends, whichever is first; the status then says which.',
    since: '1.3',
    status: 200,
    type: CommandResponse,
    example: COMMAND,
    errors: { validation_error: 'The id is not a uuid, or wait_s is not 0–30', not_found: NOT_FOUND },
    codeSamples: samples(curl('GET', `/api/v1/commands/${ID}?wait_s=30`), `const command = await novavms.commands.get('${ID}', { waitS: 30 });`),
  },
  cancel: {
    operationId: 'commands_cancel',
    summary: 'Cancel a queued command',
    description: 'Only a `queued` command can be canceled: one already sent may be running on the gateway. Recorded as a `command.canceled` event with the actor.',
    since: '1.3',
    status: 200,
    type: CommandResponse,
    example: { ...QUEUED, status: 'canceled', completed_at: '2026-04-21T14:20:02Z', error: { code: 'canceled', message: 'Canceled before it was sent' } },
    errors: { validation_error: 'The id is not a uuid', forbidden: 'A viewer key', not_found: NOT_FOUND, conflict: 'The command is no longer queued' },
    codeSamples: samples(curl('POST', `/api/v1/commands/${ID}/cancel`), `const command = await novavms.commands.cancel('${ID}');`),
  },
} satisfies Record<string, EndpointDoc>;
