import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/auth-context';
import { Authenticated } from '../auth/authenticated.decorator';
import { ApiEndpoint } from '../common/api-docs';
import { UuidParam } from '../common/uuid-param.decorator';
import { AvailabilityService } from './availability.service';
import { AvailabilityResponse, EventListResponse, ListEventsQuery, RecordingCoverageResponse, TimeRangeQuery } from './dto/event.dto';
import { EventLogService } from './event-log.service';
import { EVENTS_DOCS } from './events.docs';

@ApiTags('events')
@Controller('api/v1/events')
export class EventsController {
  constructor(private readonly events: EventLogService) {}

  @Get()
  @Authenticated({ role: 'viewer' })
  @ApiEndpoint(EVENTS_DOCS.list)
  list(@Auth() auth: AuthContext, @Query() query: ListEventsQuery): Promise<EventListResponse> {
    return this.events.list(auth, query);
  }
}

@ApiTags('gateways')
@Controller('api/v1/gateways')
export class GatewayAvailabilityController {
  constructor(private readonly availability: AvailabilityService) {}

  @Get(':id/availability')
  @Authenticated({ role: 'viewer' })
  @ApiEndpoint(EVENTS_DOCS.availability)
  get(@Auth() auth: AuthContext, @UuidParam() id: string, @Query() query: TimeRangeQuery): Promise<AvailabilityResponse> {
    return this.availability.availability(auth, id, query);
  }
}

@ApiTags('cameras')
@Controller('api/v1/cameras')
export class RecordingCoverageController {
  constructor(private readonly availability: AvailabilityService) {}

  @Get(':id/recording-coverage')
  @Authenticated({ role: 'viewer' })
  @ApiEndpoint(EVENTS_DOCS.recordingCoverage)
  get(@Auth() auth: AuthContext, @UuidParam() id: string, @Query() query: TimeRangeQuery): Promise<RecordingCoverageResponse> {
    return this.availability.recordingCoverage(auth, id, query);
  }
}
