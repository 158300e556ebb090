import type { EntityManager } from 'typeorm';
import type { ChangeContext } from '../database/change-context';

/**
 * A camera's section of its gateway's configuration (v1.3) follows the camera: moved to another
 * gateway, or unbound, or deleted, in the transaction that changes the camera. The cameras
 * feature knows when; the configuration feature (gateway-config/, which depends on cameras)
 * knows how, so it is declared here and provided there, keeping the dependency one-way.
 */
export abstract class CameraConfigSections {
  /** `from` and `to` are gateway ids (null: none); both gateways' versions move when a section moves. */
  abstract moved(cameraId: string, from: string | null, to: string | null, change: ChangeContext, manager: EntityManager): Promise<void>;
}
