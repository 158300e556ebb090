import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/auth-context';
import { Authenticated } from '../auth/authenticated.decorator';
import { UuidParam } from '../common/uuid-param.decorator';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyListResponse, CreateApiKeyDto, CreatedApiKeyResponse, ListApiKeysQuery } from './dto/api-key.dto';

@ApiTags('apiKeys')
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @HttpCode(201)
  @Authenticated({ role: 'admin' })
  @ApiOperation({ operationId: 'apiKeys_create', summary: 'Create an API key (shown once)' })
  create(@Auth() auth: AuthContext, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyResponse> {
    return this.keys.create(auth, dto);
  }

  @Get()
  @Authenticated({ role: 'admin' })
  @ApiOperation({ operationId: 'apiKeys_list', summary: 'List active API keys (never the keys themselves)' })
  list(@Auth() auth: AuthContext, @Query() query: ListApiKeysQuery): Promise<ApiKeyListResponse> {
    return this.keys.list(auth, query);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ role: 'admin' })
  @ApiOperation({ operationId: 'apiKeys_delete', summary: 'Revoke an API key at once' })
  async delete(@Auth() auth: AuthContext, @UuidParam() id: string): Promise<void> {
    await this.keys.revoke(auth, id);
  }
}
