import { Body, Controller, Delete, Get, HttpCode, Patch, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/auth-context';
import { Authenticated } from '../auth/authenticated.decorator';
import { UuidParam } from '../common/uuid-param.decorator';
import { GatewayListResponse, GatewayResponse, ListGatewaysQuery, UpdateGatewayDto } from './dto/gateway.dto';
import { GatewaysService } from './gateways.service';

@ApiTags('gateways')
@Controller('api/v1/gateways')
export class GatewaysController {
  constructor(private readonly gateways: GatewaysService) {}

  @Get()
  @Authenticated({ role: 'viewer' })
  @ApiOperation({ operationId: 'gateways_list', summary: "List gateways in the caller's org" })
  list(@Auth() auth: AuthContext, @Query() query: ListGatewaysQuery): Promise<GatewayListResponse> {
    return this.gateways.list(auth, query);
  }

  @Get(':id')
  @Authenticated({ role: 'viewer' })
  @ApiOperation({ operationId: 'gateways_get', summary: 'Return a single gateway' })
  get(@Auth() auth: AuthContext, @UuidParam() id: string): Promise<GatewayResponse> {
    return this.gateways.get(auth, id);
  }

  @Patch(':id')
  @Authenticated({ role: 'operator' })
  @ApiOperation({ operationId: 'gateways_update', summary: 'Update gateway metadata' })
  update(@Auth() auth: AuthContext, @UuidParam() id: string, @Body() dto: UpdateGatewayDto): Promise<GatewayResponse> {
    return this.gateways.update(auth, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ role: 'operator' })
  @ApiOperation({ operationId: 'gateways_delete', summary: 'Unpair the gateway and remove it from the org' })
  async delete(@Auth() auth: AuthContext, @UuidParam() id: string): Promise<void> {
    await this.gateways.delete(auth, id);
  }
}
