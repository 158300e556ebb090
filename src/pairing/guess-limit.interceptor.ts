import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { catchError, from, map, Observable, switchMap, throwError } from 'rxjs';
import { ApiError } from '../common/api-error';
import { GuessLimiterService } from './guess-limiter.service';

/**
 * Wraps POST /pair: interceptors run before the body is validated, so a limited address is
 * refused on every call, and the reservation is given back for every outcome but "unknown code".
 */
@Injectable()
export class GuessLimitInterceptor implements NestInterceptor {
  constructor(private readonly limiter: GuessLimiterService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const address = (req.ip ?? req.socket.remoteAddress ?? 'unknown').slice(0, 64);
    return from(this.limiter.reserve(address)).pipe(
      switchMap((reservation) => {
        const release = () => this.limiter.release(reservation).catch(() => undefined);
        return next.handle().pipe(
          switchMap((value) => from(release()).pipe(map(() => value))),
          catchError((err: unknown) => {
            const isGuess = err instanceof ApiError && err.code === 'not_found';
            return isGuess ? throwError(() => err) : from(release()).pipe(switchMap(() => throwError(() => err)));
          }),
        );
      }),
    );
  }
}
