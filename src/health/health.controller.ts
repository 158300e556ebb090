import { Controller, Get } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/authenticated.decorator';
import { ApiEndpoint } from '../common/api-docs';
import { ApiError } from '../common/api-error';
import { Sql } from '../database/sql';
import { SignalBus } from '../signals/signal-bus';

export class HealthResponse {
  @ApiProperty({ example: 'ok' }) status: string;
}

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly sql: Sql,
    private readonly bus: SignalBus,
  ) {}

  @Get('healthz')
  @Public()
  @ApiEndpoint({
    operationId: 'health_live',
    summary: 'Liveness',
    description: 'The process is up. Does not touch the database.',
    since: '1.0',
    status: 200,
    type: HealthResponse,
    example: { status: 'ok' },
    errors: {},
    noDatabase: true,
  })
  live(): HealthResponse {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Public()
  @ApiEndpoint({
    operationId: 'health_ready',
    summary: 'Readiness',
    description:
      'The database answers and the connection that carries signals between instances (disable, delete, key revocation) is up: the instance can serve requests and gateway sockets.',
    since: '1.0',
    status: 200,
    type: HealthResponse,
    example: { status: 'ok' },
    errors: { service_unavailable: 'The database does not answer, or the signal connection is down' },
  })
  async ready(): Promise<HealthResponse> {
    if (!this.bus.listening) {
      throw new ApiError('service_unavailable', 'The signal connection to the database is down; reconnecting', undefined, { 'Retry-After': '1' });
    }
    try {
      await this.sql.run('SELECT 1');
    } catch {
      throw new ApiError('service_unavailable', 'The database does not answer', undefined, { 'Retry-After': '1' });
    }
    return { status: 'ok' };
  }
}
