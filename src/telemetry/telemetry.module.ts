import { Module } from '@nestjs/common';
import { GatewaysModule } from '../gateways/gateways.module';
import { IngestWatermarksRepository } from './ingest-watermarks.repository';
import { TelemetryIngest } from './telemetry-ingest.service';
import { TelemetryController } from './telemetry.controller';
import { TelemetryService } from './telemetry.service';

/** Gateway frames in (the ingest writer) and the telemetry snapshot out. */
@Module({
  imports: [GatewaysModule],
  controllers: [TelemetryController],
  providers: [IngestWatermarksRepository, TelemetryIngest, TelemetryService],
  exports: [IngestWatermarksRepository, TelemetryIngest],
})
export class TelemetryModule {}
