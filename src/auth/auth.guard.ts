import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiError } from '../common/api-error';
import { AuthContext } from './auth-context';
import { AUTH_METADATA, AuthRequirement } from './authenticated.decorator';
import { AuthService } from './auth.service';
import { bearerToken } from './key-hash';
import { roleAtLeast } from './roles';

export type AuthenticatedRequest = Request & { auth?: AuthContext };

/**
 * The one global guard. A route must say who may call it (@Authenticated or @Public); one that
 * says neither is refused, so a forgotten decorator can never open a route.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const requirement = this.reflector.getAllAndOverride<AuthRequirement | undefined>(AUTH_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!requirement) {
      this.logger.error(`route ${req.method} ${req.path} declares neither @Authenticated nor @Public; refusing`);
      throw new ApiError('internal_error', 'This route is not configured');
    }
    if (requirement.public) return true;
    const caller = await this.auth.authenticate(bearerToken(req.headers.authorization));
    if (!caller) throw ApiError.authRequired();
    if (!roleAtLeast(caller.role, requirement.role)) {
      throw ApiError.forbidden(`This requires the ${requirement.role} role; your key has ${caller.role}`);
    }
    req.auth = caller;
    return true;
  }
}
