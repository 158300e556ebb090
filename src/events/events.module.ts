import { Module } from '@nestjs/common';
import { CamerasModule } from '../cameras/cameras.module';
import { GatewaysModule } from '../gateways/gateways.module';
import { AvailabilityService } from './availability.service';
import { EventLogRepository } from './event-log.repository';
import { EventLogService } from './event-log.service';
import { EventsController, GatewayAvailabilityController, RecordingCoverageController } from './events.controller';

/** The gateway event log (written by triggers), its cursor, availability and recording coverage. */
@Module({
  imports: [GatewaysModule, CamerasModule],
  controllers: [EventsController, GatewayAvailabilityController, RecordingCoverageController],
  providers: [EventLogRepository, EventLogService, AvailabilityService],
  exports: [EventLogRepository, EventLogService],
})
export class EventsModule {}
