import { Module } from '@nestjs/common';
import { SitesModule } from '../sites/sites.module';
import { GuessLimiterService } from './guess-limiter.service';
import { PairingController } from './pairing.controller';
import { PairingService } from './pairing.service';

@Module({
  imports: [SitesModule],
  controllers: [PairingController],
  providers: [PairingService, GuessLimiterService],
  exports: [GuessLimiterService],
})
export class PairingModule {}
