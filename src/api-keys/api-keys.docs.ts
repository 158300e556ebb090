import { EndpointDoc } from '../common/api-docs';
import { ApiKeyListResponse, CreatedApiKeyResponse } from './dto/api-key.dto';

const KEY = {
  id: '3d594650-3436-4b3b-a8d8-3a4c1f0e9a51',
  name: 'NOC dashboard',
  role: 'viewer',
  site_ids: ['b5e9f3a1-2c4d-4e6f-8a1b-3c5d7e9f1a2b'],
  created_at: '2026-02-01T09:00:00Z',
};

export const API_KEY_DOCS = {
  create: {
    operationId: 'apiKeys_create',
    summary: 'Create an API key',
    description:
      'Create a user API key with a role (viewer < operator < admin) and, optionally, a list of sites it is limited to. The key is returned once, in `key`; only its SHA-256 is stored. A site-scoped admin can only create keys limited to its own sites.',
    since: '1.0',
    status: 201,
    type: CreatedApiKeyResponse,
    example: { ...KEY, key: 'sk_live_...' },
    errors: {
      validation_error: 'Missing or invalid field, or a site_id not in the caller\'s org',
      forbidden: 'Role insufficient, or a site outside the key\'s sites',
      payload_too_large: 'Body over 64 KiB',
    },
  },
  list: {
    operationId: 'apiKeys_list',
    summary: 'List API keys',
    description: 'List the active API keys of the caller\'s org (never the keys themselves). A site-scoped admin sees only keys limited to its own sites.',
    since: '1.0',
    status: 200,
    type: ApiKeyListResponse,
    example: { data: [KEY], total: 1 },
    errors: { validation_error: 'Unknown query parameter or bad value', forbidden: 'Role insufficient' },
  },
  delete: {
    operationId: 'apiKeys_delete',
    summary: 'Revoke an API key',
    description: 'Revoke an API key. It is refused from the very next request on.',
    since: '1.0',
    status: 204,
    errors: {
      validation_error: 'The id is not a uuid',
      forbidden: 'Role insufficient',
      not_found: 'No such active key in the caller\'s org (or outside the key\'s sites)',
    },
  },
} satisfies Record<string, EndpointDoc>;
