import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CameraConfigSections } from '../cameras/camera-config-sections';
import type { ChangeContext } from '../database/change-context';
import { GatewaysRepository } from '../gateways/gateways.repository';
import type { ConfigDocument } from './config-document';
import { GatewayConfigRepository } from './gateway-config.repository';

type Cameras = Record<string, unknown>;

/**
 * A camera's configuration section follows the camera (CameraConfigSections): it leaves the
 * desired document of the gateway it left and joins that of the gateway it now belongs to, each
 * one version up with its `gateway.config_changed` (reason `camera_moved`), in the camera's
 * transaction. The gateways are locked first, in id order, as a configuration write locks
 * them, so a write validating camera keys at the same time sees the move or waits for it.
 */
@Injectable()
export class ConfigSections extends CameraConfigSections {
  constructor(
    private readonly configs: GatewayConfigRepository,
    private readonly gateways: GatewaysRepository,
  ) {
    super();
  }

  async moved(cameraId: string, from: string | null, to: string | null, change: ChangeContext, manager: EntityManager): Promise<void> {
    if (!from) return; // nothing configured for a camera that had no gateway
    const ids = [from, ...(to ? [to] : [])].sort();
    await this.gateways.lockNoKeyInOrder(ids, manager);
    const rows = new Map((await this.configs.lockOrCreate(ids, manager)).map((r) => [r.gateway_id, r]));
    const left = rows.get(from)!;
    const section = (left.desired.cameras as Cameras | undefined)?.[cameraId];
    if (section === undefined) return;
    const moveChange = { ...change, reason: 'camera_moved', changed_paths: [`cameras.${cameraId}`] };
    for (const id of ids) {
      const desired = rows.get(id)!.desired;
      const cameras: Cameras = { ...((desired.cameras as Cameras | undefined) ?? {}) };
      if (id === from) delete cameras[cameraId];
      else cameras[cameraId] = section;
      const next: ConfigDocument = { ...desired, cameras };
      if (Object.keys(cameras).length === 0) delete next.cameras;
      await this.configs.writeDesired(id, next, moveChange, manager);
    }
  }
}
