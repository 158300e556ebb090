import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every gateway has its live-state row (gateway_telemetry) from the moment it exists, made by a
 * statement-level trigger on gateways: the connection claim then writes the gateways table
 * alone, and the tables are locked in one order everywhere — a gateway's row before its
 * live-state row, rows of one table in id order (docs/architecture.md, "Row locks").
 */
export class LiveStateWithGateway1796400000000 implements MigrationInterface {
  name = 'LiveStateWithGateway1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION "gateway_live_state_add"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO "gateway_telemetry" ("gateway_id") SELECT "id" FROM added ORDER BY "id"
        ON CONFLICT ("gateway_id") DO NOTHING;
        RETURN NULL;
      END $$
    `);
    await queryRunner.query(`
      CREATE TRIGGER "gateway_live_state_insert" AFTER INSERT ON "gateways"
      REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION "gateway_live_state_add"()
    `);
    await queryRunner.query(`
      INSERT INTO "gateway_telemetry" ("gateway_id") SELECT "id" FROM "gateways" ORDER BY "id"
      ON CONFLICT ("gateway_id") DO NOTHING
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "gateway_live_state_insert" ON "gateways"`);
    await queryRunner.query(`DROP FUNCTION "gateway_live_state_add"()`);
  }
}
