import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../common/api-docs';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/auth-context';
import { Authenticated } from '../auth/authenticated.decorator';
import { UuidParam } from '../common/uuid-param.decorator';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyListResponse, CreateApiKeyDto, CreatedApiKeyResponse, ListApiKeysQuery } from './dto/api-key.dto';
import { API_KEY_DOCS } from './api-keys.docs';

@ApiTags('apiKeys')
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @HttpCode(201)
  @Authenticated({ role: 'admin' })
  @ApiEndpoint(API_KEY_DOCS.create)
  create(@Auth() auth: AuthContext, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyResponse> {
    return this.keys.create(auth, dto);
  }

  @Get()
  @Authenticated({ role: 'admin' })
  @ApiEndpoint(API_KEY_DOCS.list)
  list(@Auth() auth: AuthContext, @Query() query: ListApiKeysQuery): Promise<ApiKeyListResponse> {
    return this.keys.list(auth, query);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ role: 'admin' })
  @ApiEndpoint(API_KEY_DOCS.delete)
  async delete(@Auth() auth: AuthContext, @UuidParam() id: string): Promise<void> {
    await this.keys.revoke(auth, id);
  }
}
