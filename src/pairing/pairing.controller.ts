import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../common/api-docs';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/auth-context';
import { Authenticated, Public } from '../auth/authenticated.decorator';
import { ClientAddress } from './client-address.decorator';
import { GeneratePairingCodeDto, PairDto, PairingCodeResponse, PairResponse, RepairingCodeResponse } from './dto/pairing.dto';
import { UuidParam } from '../common/uuid-param.decorator';
import { PAIRING_DOCS } from './pairing.docs';
import { PairingService } from './pairing.service';

@ApiTags('gateways')
@Controller('api/v1/gateways')
export class PairingController {
  constructor(private readonly pairing: PairingService) {}

  @Post('generate-pairing-code')
  @HttpCode(201)
  @Authenticated({ role: 'operator' })
  @ApiEndpoint(PAIRING_DOCS.generate)
  generate(@Auth() auth: AuthContext, @Body() dto: GeneratePairingCodeDto): Promise<PairingCodeResponse> {
    return this.pairing.generate(auth, dto);
  }

  @Post(':id/pairing-code')
  @HttpCode(201)
  @Authenticated({ role: 'operator' })
  @ApiEndpoint(PAIRING_DOCS.reissue)
  reissue(@Auth() auth: AuthContext, @UuidParam() id: string): Promise<RepairingCodeResponse> {
    return this.pairing.reissue(auth, id);
  }

  @Post('pair')
  @HttpCode(200)
  @Public()
  @ApiEndpoint(PAIRING_DOCS.pair)
  pair(@ClientAddress() address: string, @Body() dto: PairDto): Promise<PairResponse> {
    return this.pairing.pair(address, dto);
  }
}
