import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, In, Repository } from 'typeorm';
import { BoundCameras } from '../gateways/bound-cameras';
import { Camera } from './camera.entity';
import { GenerateSql, IN_TRANSACTION, SAMPLE_UUID } from '../database/sql-snapshot';

export interface CameraFilter {
  orgId: string;
  /** null: every site of the org. */
  siteIds: string[] | null;
  gatewayId?: string;
  limit: number;
  offset: number;
}

/** The cameras table. */
@Injectable()
export class CamerasRepository implements BoundCameras {
  constructor(@InjectRepository(Camera) private readonly cameras: Repository<Camera>) {}

  @GenerateSql([{ orgId: SAMPLE_UUID, siteId: SAMPLE_UUID, gatewayId: null, name: 'Dock door 3' }])
  create(camera: Pick<Camera, 'orgId' | 'siteId' | 'gatewayId' | 'name'>): Promise<Camera> {
    return this.cameras.save(this.cameras.create(camera));
  }

  /** Oldest first. */
  @GenerateSql([{ orgId: SAMPLE_UUID, siteIds: null, limit: 100, offset: 0 }], [{ orgId: SAMPLE_UUID, siteIds: [SAMPLE_UUID], gatewayId: SAMPLE_UUID, limit: 100, offset: 0 }], [{ orgId: SAMPLE_UUID, siteIds: [SAMPLE_UUID, SAMPLE_UUID], limit: 100, offset: 0 }])
  list(filter: CameraFilter): Promise<[Camera[], number]> {
    const where: FindOptionsWhere<Camera> = { orgId: filter.orgId };
    if (filter.gatewayId) where.gatewayId = filter.gatewayId;
    if (filter.siteIds !== null) where.siteId = filter.siteIds.length === 1 ? filter.siteIds[0] : In(filter.siteIds);
    return this.cameras.findAndCount({ where, order: { createdAt: 'ASC', id: 'ASC' }, take: filter.limit, skip: filter.offset });
  }

  @GenerateSql([SAMPLE_UUID, SAMPLE_UUID])
  findInOrg(id: string, orgId: string): Promise<Camera | null> {
    return this.cameras.findOne({ where: { id, orgId } });
  }

  /** The camera, locked until the transaction ends: a change of its gateway and its configuration section go together. */
  @GenerateSql([SAMPLE_UUID, SAMPLE_UUID, IN_TRANSACTION])
  lockInOrg(id: string, orgId: string, manager: EntityManager): Promise<Camera | null> {
    return manager.getRepository(Camera).findOne({ where: { id, orgId }, lock: { mode: 'pessimistic_write' } });
  }

  @GenerateSql([SAMPLE_UUID, SAMPLE_UUID, { name: 'Dock door 3', siteId: SAMPLE_UUID, gatewayId: null }, IN_TRANSACTION])
  async update(id: string, orgId: string, changes: Pick<Camera, 'name' | 'siteId' | 'gatewayId'>, manager: EntityManager): Promise<void> {
    await manager.getRepository(Camera).update({ id, orgId }, changes);
  }

  @GenerateSql([SAMPLE_UUID, SAMPLE_UUID, IN_TRANSACTION])
  async delete(id: string, orgId: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(Camera).delete({ id, orgId });
  }

  /** The ids of the cameras bound to a gateway, in the caller's transaction. */
  @GenerateSql([SAMPLE_UUID, IN_TRANSACTION])
  async idsBoundTo(gatewayId: string, manager: EntityManager): Promise<string[]> {
    const rows = await manager.getRepository(Camera).find({ select: { id: true }, where: { gatewayId } });
    return rows.map((r) => r.id);
  }

  @GenerateSql([SAMPLE_UUID, IN_TRANSACTION])
  countBoundTo(gatewayId: string, manager: EntityManager): Promise<number> {
    return manager.getRepository(Camera).count({ where: { gatewayId } });
  }
}
