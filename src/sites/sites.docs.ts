import { EndpointDoc } from '../common/api-docs';
import { SiteListResponse, SiteResponse } from './dto/site.dto';

const SITE = { id: 'b5e9f3a1-2c4d-4e6f-8a1b-3c5d7e9f1a2b', name: 'Warehouse A', created_at: '2026-02-01T09:00:00Z' };

export const SITE_DOCS = {
  create: {
    operationId: 'sites_create',
    summary: 'Create a site',
    description: 'Create a site (a location) in the caller\'s org. Requires an org-wide admin key: a site-scoped key cannot create sites.',
    since: '1.0',
    status: 201,
    type: SiteResponse,
    example: SITE,
    errors: {
      validation_error: 'Missing or invalid name, or unknown field',
      forbidden: 'Role insufficient, or the key is site-scoped',
      payload_too_large: 'Body over 64 KiB',
    },
  },
  list: {
    operationId: 'sites_list',
    summary: 'List sites',
    description: 'List the sites of the caller\'s org that the key may see (a site-scoped key sees only its own), oldest first.',
    since: '1.0',
    status: 200,
    type: SiteListResponse,
    example: { data: [SITE], total: 1 },
    errors: { validation_error: 'Unknown query parameter or bad value', forbidden: 'Role insufficient' },
  },
} satisfies Record<string, EndpointDoc>;
