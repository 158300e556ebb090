import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../common/api-docs';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/auth-context';
import { Authenticated } from '../auth/authenticated.decorator';
import { UuidParam } from '../common/uuid-param.decorator';
import { TelemetryResponse } from './dto/telemetry.dto';
import { TELEMETRY_DOCS } from './telemetry.docs';
import { TelemetryService } from './telemetry.service';

@ApiTags('gateways')
@Controller('api/v1/gateways')
export class TelemetryController {
  constructor(private readonly telemetry: TelemetryService) {}

  @Get(':id/telemetry')
  @Authenticated({ role: 'viewer' })
  @ApiEndpoint(TELEMETRY_DOCS.snapshot)
  snapshot(@Auth() auth: AuthContext, @UuidParam() id: string): Promise<TelemetryResponse> {
    return this.telemetry.snapshot(auth, id);
  }
}
