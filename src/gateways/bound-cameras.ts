import type { EntityManager } from 'typeorm';

/**
 * How many cameras are bound to a gateway: the delete rule needs it, the cameras feature knows
 * it. Cameras depend on gateways (a camera binds to one), so this is declared here and provided
 * by the cameras feature (CamerasModule), keeping the dependency one-way.
 */
export abstract class BoundCameras {
  /** Inside the caller's transaction. */
  abstract countBoundTo(gatewayId: string, manager: EntityManager): Promise<number>;
}
