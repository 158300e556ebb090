import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { GatewaysModule } from '../gateways/gateways.module';
import { OrgsModule } from '../orgs/orgs.module';
import { SitesModule } from '../sites/sites.module';
import { GuessLimiterService } from './guess-limiter.service';
import { PairingGuessesRepository } from './pairing-guesses.repository';
import { PairingController } from './pairing.controller';
import { PairingService } from './pairing.service';

@Module({
  imports: [GatewaysModule, OrgsModule, SitesModule, CredentialsModule],
  controllers: [PairingController],
  providers: [PairingGuessesRepository, PairingService, GuessLimiterService],
  exports: [GuessLimiterService],
})
export class PairingModule {}
