import { Module } from '@nestjs/common';
import { GatewaysModule } from '../gateways/gateways.module';
import { CommandDelivery } from './command-delivery.service';
import { CommandWaits } from './command-waits';
import { CommandsController } from './commands.controller';
import { CommandsRepository } from './commands.repository';
import { CommandsService } from './commands.service';

/**
 * Remote commands (v1.3): the REST routes, delivery to the sockets this instance holds, the
 * gateways' reports and the sweep. gateway-link routes the command frames here (CommandDelivery).
 * CamerasRepository comes from the global CamerasModule.
 */
@Module({
  imports: [GatewaysModule],
  controllers: [CommandsController],
  providers: [CommandsRepository, CommandsService, CommandWaits, CommandDelivery],
  exports: [CommandDelivery],
})
export class CommandsModule {}
