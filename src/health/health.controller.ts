import { Controller, Get } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../common/api-docs';
import { DataSource } from 'typeorm';
import { Public } from '../auth/authenticated.decorator';
import { ApiError } from '../common/api-error';

export class HealthResponse {
  @ApiProperty({ example: 'ok' }) status: string;
}

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

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
    description: 'The database answers: the instance can serve requests.',
    since: '1.0',
    status: 200,
    type: HealthResponse,
    example: { status: 'ok' },
    errors: { service_unavailable: 'The database does not answer' },
  })
  async ready(): Promise<HealthResponse> {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new ApiError('service_unavailable', 'The database does not answer', undefined, { 'Retry-After': '1' });
    }
    return { status: 'ok' };
  }
}
