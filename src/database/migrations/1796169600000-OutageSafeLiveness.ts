import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the service needs to stay truthful through a database outage and instance failures:
 * - service_instances: how far each instance's writes of gateway frames have got, so that the
 *   liveness sweep does not take a gateway offline while its heartbeats are still buffered on
 *   an instance that could not reach the database (LivenessService);
 * - gateways.connection_instance: which instance holds a gateway's newest connection;
 * - gateway_telemetry.connection_seq: which connection wrote the snapshot, so an older
 *   connection's frames, flushed late by another instance, never overwrite a newer report;
 * - gateway_tombstones: the key hashes of deleted gateways, written by a trigger whatever
 *   deletes them (an org's cascade included), so the upgrade answers their keys 404.
 */
export class OutageSafeLiveness1796169600000 implements MigrationInterface {
  name = 'OutageSafeLiveness1796169600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "service_instances" (
        "id" uuid NOT NULL,
        "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "flushed_through" TIMESTAMP WITH TIME ZONE NOT NULL,
        "available_since" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_e953014223dbd76e755016bb507" PRIMARY KEY ("id")
      )
    `);
    await queryRunner.query(`ALTER TABLE "gateways" ADD "connection_instance" uuid`);
    await queryRunner.query(`ALTER TABLE "gateway_telemetry" ADD "connection_seq" bigint`);
    await queryRunner.query(`
      CREATE TABLE "gateway_tombstones" (
        "key_hash" character(64) NOT NULL,
        "gateway_id" uuid NOT NULL,
        "org_id" uuid NOT NULL,
        "deleted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_b61dcd72baa7814a67bee5b7fa0" PRIMARY KEY ("key_hash")
      )
    `);
    await queryRunner.query(`
      CREATE FUNCTION "gateway_tombstones_add"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO "gateway_tombstones" ("key_hash", "gateway_id", "org_id")
        SELECT "key_hash", "id", "org_id" FROM removed WHERE "key_hash" IS NOT NULL
        ON CONFLICT ("key_hash") DO NOTHING;
        RETURN NULL;
      END $$
    `);
    await queryRunner.query(`
      CREATE TRIGGER "gateway_tombstones_delete" AFTER DELETE ON "gateways"
      REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION "gateway_tombstones_add"()
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "gateway_tombstones_delete" ON "gateways"`);
    await queryRunner.query(`DROP FUNCTION "gateway_tombstones_add"()`);
    await queryRunner.query(`DROP TABLE "gateway_tombstones"`);
    await queryRunner.query(`ALTER TABLE "gateway_telemetry" DROP COLUMN "connection_seq"`);
    await queryRunner.query(`ALTER TABLE "gateways" DROP COLUMN "connection_instance"`);
    await queryRunner.query(`DROP TABLE "service_instances"`);
  }
}
