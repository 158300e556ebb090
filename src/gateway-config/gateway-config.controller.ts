import { Body, Controller, Get, Headers, Patch, Put, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/auth-context';
import { Authenticated } from '../auth/authenticated.decorator';
import { ApiEndpoint } from '../common/api-docs';
import { UuidParam } from '../common/uuid-param.decorator';
import { CONFIG_SCHEMA } from './config-document';
import { ConfigDocumentSchema, GatewayConfigResponse } from './dto/gateway-config.dto';
import { CONFIG_DOCS } from './gateway-config.docs';
import { GatewayConfigService } from './gateway-config.service';

const IF_MATCH = { name: 'If-Match', required: false, description: 'The ETag of the configuration this change was made against ("7"); a stale one is 412', schema: { type: 'string', maxLength: 200, pattern: '^[ -~]+$' } } as const;
const ETAG = { ETag: { description: 'The desired version, quoted: send it back as If-Match', schema: { type: 'string', maxLength: 18, pattern: '^"[0-9]+"$' } } };

/** Gateway configuration (v1.3): viewers read, operators write. */
@ApiTags('config')
@Controller('api/v1')
export class GatewayConfigController {
  constructor(private readonly configs: GatewayConfigService) {}

  @Get('gateways/:id/config')
  @Authenticated({ role: 'viewer' })
  @ApiEndpoint({ ...CONFIG_DOCS.get, headers: ETAG })
  async get(@Auth() auth: AuthContext, @UuidParam() id: string, @Res({ passthrough: true }) res: Response): Promise<GatewayConfigResponse> {
    const { config, etag } = await this.configs.get(auth, id);
    res.setHeader('ETag', etag);
    return config;
  }

  @Put('gateways/:id/config')
  @Authenticated({ role: 'operator' })
  @ApiHeader(IF_MATCH)
  @ApiBody({ type: ConfigDocumentSchema })
  @ApiEndpoint({ ...CONFIG_DOCS.put, headers: ETAG })
  async put(@Auth() auth: AuthContext, @UuidParam() id: string, @Body() body: unknown, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response): Promise<GatewayConfigResponse> {
    const { config, etag } = await this.configs.put(auth, id, body, ifMatch);
    res.setHeader('ETag', etag);
    return config;
  }

  @Patch('gateways/:id/config')
  @Authenticated({ role: 'operator' })
  @ApiHeader(IF_MATCH)
  @ApiConsumes('application/merge-patch+json', 'application/json')
  @ApiBody({ type: ConfigDocumentSchema, description: 'A JSON merge patch (RFC 7396) of the document: `null` deletes a member' })
  @ApiEndpoint({ ...CONFIG_DOCS.patch, headers: ETAG })
  async patch(@Auth() auth: AuthContext, @UuidParam() id: string, @Body() body: unknown, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response): Promise<GatewayConfigResponse> {
    const { config, etag } = await this.configs.patch(auth, id, body, ifMatch);
    res.setHeader('ETag', etag);
    return config;
  }

  @Get('config-schema')
  @Authenticated({ role: 'viewer' })
  @ApiEndpoint(CONFIG_DOCS.schema)
  schema(): typeof CONFIG_SCHEMA {
    return CONFIG_SCHEMA;
  }
}
