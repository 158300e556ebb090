import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiResponse } from '@nestjs/swagger';
import { ERROR_SCHEMAS } from '../common/api-docs';
import type { Role } from './roles';

export const AUTH_METADATA = 'novavms:auth';

export type AuthRequirement = { public: true } | { public: false; role: Role };

/**
 * The one way to say who may call a route: sets the guard's metadata, the OpenAPI security
 * requirement and `x-required-role` together.
 */
export function Authenticated(options: { role: Role }): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(AUTH_METADATA, { public: false, role: options.role } satisfies AuthRequirement),
    ApiBearerAuth('bearer'),
    ApiExtension('x-required-role', options.role),
    ApiResponse({ status: 401, description: 'Missing or invalid token', type: ERROR_SCHEMAS.auth_required }),
  );
}

/** A route anyone may call (health checks, gateway pairing). */
export function Public(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(AUTH_METADATA, { public: true } satisfies AuthRequirement),
    ApiExtension('x-required-role', 'public'),
  );
}
