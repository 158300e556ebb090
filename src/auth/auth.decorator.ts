import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import type { AuthenticatedRequest } from './auth.guard';

/** The caller's AuthContext, set by the global guard. */
export const Auth = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  const auth = ctx.switchToHttp().getRequest<AuthenticatedRequest>().auth;
  if (!auth) throw ApiError.authRequired();
  return auth;
});
