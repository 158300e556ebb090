import { Body, Controller, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/auth-context';
import { Authenticated, Public } from '../auth/authenticated.decorator';
import { GeneratePairingCodeDto, PairDto, PairingCodeResponse, PairResponse } from './dto/pairing.dto';
import { GuessLimitInterceptor } from './guess-limit.interceptor';
import { PairingService } from './pairing.service';

@ApiTags('gateways')
@Controller('api/v1/gateways')
export class PairingController {
  constructor(private readonly pairing: PairingService) {}

  @Post('generate-pairing-code')
  @HttpCode(201)
  @Authenticated({ role: 'operator' })
  @ApiOperation({ operationId: 'gateways_generatePairingCode', summary: 'Generate a 6-character pairing code' })
  generate(@Auth() auth: AuthContext, @Body() dto: GeneratePairingCodeDto): Promise<PairingCodeResponse> {
    return this.pairing.generate(auth, dto);
  }

  @Post('pair')
  @HttpCode(200)
  @Public()
  @UseInterceptors(GuessLimitInterceptor)
  @ApiOperation({ operationId: 'gateways_pair', summary: 'Redeem a pairing code' })
  pair(@Body() dto: PairDto): Promise<PairResponse> {
    return this.pairing.pair(dto);
  }
}
