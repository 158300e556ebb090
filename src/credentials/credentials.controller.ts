import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/auth-context';
import { Authenticated } from '../auth/authenticated.decorator';
import { ApiEndpoint } from '../common/api-docs';
import { UuidParam } from '../common/uuid-param.decorator';
import { CREDENTIAL_DOCS } from './credentials.docs';
import { CredentialsService } from './credentials.service';
import { CredentialResponse, RotateKeyDto, RotationResponse } from './dto/credentials.dto';

/** A gateway's keys (v1.3): admins only. */
@ApiTags('credentials')
@Controller('api/v1/gateways')
export class CredentialsController {
  constructor(private readonly credentials: CredentialsService) {}

  @Get(':id/credentials')
  @Authenticated({ role: 'admin' })
  @ApiEndpoint(CREDENTIAL_DOCS.list)
  list(@Auth() auth: AuthContext, @UuidParam() id: string): Promise<CredentialResponse[]> {
    return this.credentials.list(auth, id);
  }

  @Post(':id/rotate-key')
  @HttpCode(202)
  @Authenticated({ role: 'admin' })
  @ApiEndpoint(CREDENTIAL_DOCS.rotate)
  rotate(@Auth() auth: AuthContext, @UuidParam() id: string, @Body() dto: RotateKeyDto): Promise<RotationResponse> {
    return this.credentials.rotate(auth, id, dto);
  }

  @Post(':id/revoke-keys')
  @HttpCode(200)
  @Authenticated({ role: 'admin' })
  @ApiEndpoint(CREDENTIAL_DOCS.revoke)
  revoke(@Auth() auth: AuthContext, @UuidParam() id: string): Promise<CredentialResponse[]> {
    return this.credentials.revoke(auth, id);
  }
}
