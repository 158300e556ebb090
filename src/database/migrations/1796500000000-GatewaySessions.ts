import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The last `session` frame of each gateway (v1.3): its boot id, firmware, capabilities and
 * config version, kept beside its live state and written by the same flush (no row, lock or
 * statement of its own). A boot id other than the one stored is a reboot: a row trigger records
 * `gateway.rebooted` in the flush's transaction, as the camera events are recorded. The first
 * session of a gateway has nothing to compare with and records nothing.
 */
export class GatewaySessions1796500000000 implements MigrationInterface {
  name = 'GatewaySessions1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "gateway_telemetry" ADD "boot_id" uuid`);
    await queryRunner.query(`ALTER TABLE "gateway_telemetry" ADD "firmware" character varying(128)`);
    await queryRunner.query(`ALTER TABLE "gateway_telemetry" ADD "capabilities" text array`);
    await queryRunner.query(`ALTER TABLE "gateway_telemetry" ADD "config_version" bigint`);
    await queryRunner.query(`ALTER TABLE "gateway_telemetry" ADD "session_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`
      CREATE FUNCTION "gateway_reboot_record"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO "gateway_events" ("type", "occurred_at", "org_id", "site_id", "gateway_id", "data")
        SELECT 'gateway.rebooted', clock_timestamp(), g.org_id, g.site_id, g.id,
               jsonb_build_object('boot_id', NEW.boot_id, 'previous_boot_id', OLD.boot_id, 'firmware', NEW.firmware)
          FROM "gateways" g WHERE g.id = NEW.gateway_id;
        RETURN NULL;
      END $$
    `);
    await queryRunner.query(`
      CREATE TRIGGER "gateway_reboot_update" AFTER UPDATE OF "boot_id" ON "gateway_telemetry"
      FOR EACH ROW WHEN (OLD.boot_id IS NOT NULL AND NEW.boot_id IS DISTINCT FROM OLD.boot_id)
      EXECUTE FUNCTION "gateway_reboot_record"()
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "gateway_reboot_update" ON "gateway_telemetry"`);
    await queryRunner.query(`DROP FUNCTION "gateway_reboot_record"()`);
    await queryRunner.query(`ALTER TABLE "gateway_telemetry" DROP COLUMN "session_at"`);
    await queryRunner.query(`ALTER TABLE "gateway_telemetry" DROP COLUMN "config_version"`);
    await queryRunner.query(`ALTER TABLE "gateway_telemetry" DROP COLUMN "capabilities"`);
    await queryRunner.query(`ALTER TABLE "gateway_telemetry" DROP COLUMN "firmware"`);
    await queryRunner.query(`ALTER TABLE "gateway_telemetry" DROP COLUMN "boot_id"`);
  }
}
