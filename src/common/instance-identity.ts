import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

/** This process among the service's instances: its row in service_instances, the holder of the sockets it accepts. */
@Injectable()
export class InstanceIdentity {
  readonly id = randomUUID();
}
