import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Moves last_heartbeat_at from gateways to gateway_telemetry: the batched heartbeat writes then
 * touch one narrow row per gateway with no secondary index (fillfactor leaves room for HOT
 * updates), and a gateway row is only written when its status changes.
 */
export class HeartbeatsBesideTelemetry1795644662146 implements MigrationInterface {
  name = 'HeartbeatsBesideTelemetry1795644662146';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "gateway_telemetry" ADD "last_heartbeat_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`
      INSERT INTO "gateway_telemetry" ("gateway_id", "last_heartbeat_at")
      SELECT "id", "last_heartbeat_at" FROM "gateways" WHERE "last_heartbeat_at" IS NOT NULL
      ON CONFLICT ("gateway_id") DO UPDATE SET "last_heartbeat_at" = EXCLUDED."last_heartbeat_at"
    `);
    await queryRunner.query(`DROP INDEX "public"."IDX_gateways_online_heartbeat"`);
    await queryRunner.query(`ALTER TABLE "gateways" DROP COLUMN "last_heartbeat_at"`);
    await queryRunner.query(`CREATE INDEX "IDX_gateways_online" ON "gateways" ("id") WHERE "status" = 'online'`);
    await queryRunner.query(`ALTER TABLE "gateway_telemetry" SET (fillfactor = 50)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "gateway_telemetry" RESET (fillfactor)`);
    await queryRunner.query(`DROP INDEX "public"."IDX_gateways_online"`);
    await queryRunner.query(`ALTER TABLE "gateways" ADD "last_heartbeat_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`
      UPDATE "gateways" g SET "last_heartbeat_at" = t."last_heartbeat_at"
        FROM "gateway_telemetry" t WHERE t."gateway_id" = g."id"
    `);
    await queryRunner.query(`
      CREATE INDEX "IDX_gateways_online_heartbeat" ON "gateways" ("last_heartbeat_at") WHERE "status" = 'online'
    `);
    await queryRunner.query(`ALTER TABLE "gateway_telemetry" DROP COLUMN "last_heartbeat_at"`);
  }
}
