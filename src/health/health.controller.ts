import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({ operationId: 'health_live', summary: 'The process is up' })
  live(): HealthResponse {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Public()
  @ApiOperation({ operationId: 'health_ready', summary: 'The database answers' })
  async ready(): Promise<HealthResponse> {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new ApiError('service_unavailable', 'The database does not answer', undefined, { 'Retry-After': '1' });
    }
    return { status: 'ok' };
  }
}
