import { EndpointDoc } from '../common/api-docs';
import { CameraListResponse, CameraResponse } from './dto/camera.dto';

const CAMERA = {
  id: '550e8400-e29b-41d4-a716-446655440000',
  name: 'Dock door 3',
  site_id: 'b5e9f3a1-2c4d-4e6f-8a1b-3c5d7e9f1a2b',
  gateway_id: '8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c',
  created_at: '2026-02-01T09:00:00Z',
};

const BODY_ERRORS = {
  validation_error: 'Missing or invalid field, or a site_id/gateway_id not in the caller\'s org',
  forbidden: 'Role insufficient, or a site or gateway outside the key\'s sites',
  payload_too_large: 'Body over 64 KiB',
};

export const CAMERA_DOCS = {
  create: {
    operationId: 'cameras_create',
    summary: 'Create a camera',
    description: 'Create a camera in a site, optionally bound to the gateway that records it.',
    since: '1.0',
    status: 201,
    type: CameraResponse,
    example: CAMERA,
    errors: BODY_ERRORS,
  },
  list: {
    operationId: 'cameras_list',
    summary: 'List cameras',
    description: 'List the cameras the key may see, oldest first; filter by `site_id` or `gateway_id`.',
    since: '1.0',
    status: 200,
    type: CameraListResponse,
    example: { data: [CAMERA], total: 1 },
    errors: { validation_error: 'Unknown query parameter or bad value', forbidden: 'Role insufficient' },
  },
  get: {
    operationId: 'cameras_get',
    summary: 'Get a camera',
    description: 'Return a single camera.',
    since: '1.0',
    status: 200,
    type: CameraResponse,
    example: CAMERA,
    errors: { validation_error: 'The id is not a uuid', not_found: 'Camera not in caller\'s org' },
  },
  update: {
    operationId: 'cameras_update',
    summary: 'Update a camera',
    description: 'Rename a camera, move it to another site, or bind it to another gateway (`gateway_id`) or none (`null`).',
    since: '1.0',
    status: 200,
    type: CameraResponse,
    example: CAMERA,
    errors: { ...BODY_ERRORS, validation_error: 'No valid fields, an invalid field, or a site_id/gateway_id not in the caller\'s org', not_found: 'Camera not in caller\'s org' },
  },
  delete: {
    operationId: 'cameras_delete',
    summary: 'Delete a camera',
    description: 'Delete a camera.',
    since: '1.0',
    status: 204,
    errors: { validation_error: 'The id is not a uuid', forbidden: 'Role insufficient', not_found: 'Camera not in caller\'s org' },
  },
} satisfies Record<string, EndpointDoc>;
