import { Body, Controller, Delete, Get, HttpCode, Patch, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../common/api-docs';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/auth-context';
import { Authenticated } from '../auth/authenticated.decorator';
import { UuidParam } from '../common/uuid-param.decorator';
import { GatewayListResponse, GatewayResponse, ListGatewaysQuery, UpdateGatewayDto } from './dto/gateway.dto';
import { GATEWAY_DOCS } from './gateways.docs';
import { GatewaysService } from './gateways.service';

@ApiTags('gateways')
@Controller('api/v1/gateways')
export class GatewaysController {
  constructor(private readonly gateways: GatewaysService) {}

  @Get()
  @Authenticated({ role: 'viewer' })
  @ApiEndpoint(GATEWAY_DOCS.list)
  list(@Auth() auth: AuthContext, @Query() query: ListGatewaysQuery): Promise<GatewayListResponse> {
    return this.gateways.list(auth, query);
  }

  @Get(':id')
  @Authenticated({ role: 'viewer' })
  @ApiEndpoint(GATEWAY_DOCS.get)
  get(@Auth() auth: AuthContext, @UuidParam() id: string): Promise<GatewayResponse> {
    return this.gateways.get(auth, id);
  }

  @Patch(':id')
  @Authenticated({ role: 'operator' })
  @ApiEndpoint(GATEWAY_DOCS.update)
  update(@Auth() auth: AuthContext, @UuidParam() id: string, @Body() dto: UpdateGatewayDto): Promise<GatewayResponse> {
    return this.gateways.update(auth, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ role: 'operator' })
  @ApiEndpoint(GATEWAY_DOCS.delete)
  async delete(@Auth() auth: AuthContext, @UuidParam() id: string): Promise<void> {
    await this.gateways.delete(auth, id);
  }
}
