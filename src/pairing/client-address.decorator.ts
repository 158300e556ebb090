import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { guessAddress } from './guess-address';

/** The client's address as pairing guesses are counted (the socket peer, or X-Forwarded-For behind a trusted proxy). */
export function clientGuessAddress(req: Request): string {
  return guessAddress(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

export const ClientAddress = createParamDecorator((_: unknown, ctx: ExecutionContext) => clientGuessAddress(ctx.switchToHttp().getRequest<Request>()));
