import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * gateway_counts: how many gateways each site of an org holds, kept exact by triggers on
 * `gateways` in the same transaction as every insert, delete and move. The unfiltered list reads
 * its `total` from here (a handful of rows) instead of counting the org's gateways per request.
 *
 * Inserts and deletes are counted per statement (one counter write per site, however many rows
 * the statement touched: bulk inserts, an org's cascade delete); a move is counted per row, and
 * locks its two counter rows in key order so that two opposite moves cannot deadlock. The
 * triggers exist before the backfill, in the same transaction, so no write is missed.
 */
export class GatewayCounts1795657492296 implements MigrationInterface {
  name = 'GatewayCounts1795657492296';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "gateway_counts" (
        "org_id" uuid NOT NULL,
        "site_id" uuid NOT NULL,
        "gateways" integer NOT NULL DEFAULT '0',
        CONSTRAINT "PK_9c89a158f2187f41eabfac744d2" PRIMARY KEY ("org_id", "site_id")
      )
    `);
    await queryRunner.query(`
      ALTER TABLE "gateway_counts"
      ADD CONSTRAINT "FK_1f6b69e2aeb6e92c4ef36887b22" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE NO ACTION
    `);
    await queryRunner.query(`
      ALTER TABLE "gateway_counts"
      ADD CONSTRAINT "FK_cbd4f27a02386014ebe38491749" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE NO ACTION
    `);

    await queryRunner.query(`
      CREATE FUNCTION "gateway_counts_add"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO "gateway_counts" AS c ("org_id", "site_id", "gateways")
        SELECT "org_id", "site_id", count(*) FROM added GROUP BY "org_id", "site_id" ORDER BY "org_id", "site_id"
        ON CONFLICT ("org_id", "site_id") DO UPDATE SET "gateways" = c."gateways" + EXCLUDED."gateways";
        RETURN NULL;
      END $$
    `);
    await queryRunner.query(`
      CREATE FUNCTION "gateway_counts_remove"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE "gateway_counts" c SET "gateways" = c."gateways" - r.n
          FROM (SELECT "org_id", "site_id", count(*)::int AS n FROM removed GROUP BY "org_id", "site_id") r
         WHERE c."org_id" = r."org_id" AND c."site_id" = r."site_id";
        RETURN NULL;
      END $$
    `);
    await queryRunner.query(`
      CREATE FUNCTION "gateway_counts_move"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO "gateway_counts" ("org_id", "site_id", "gateways") VALUES (NEW."org_id", NEW."site_id", 0)
        ON CONFLICT ("org_id", "site_id") DO NOTHING;
        PERFORM 1 FROM "gateway_counts"
          WHERE ("org_id", "site_id") IN ((OLD."org_id", OLD."site_id"), (NEW."org_id", NEW."site_id"))
          ORDER BY "org_id", "site_id" FOR UPDATE;
        UPDATE "gateway_counts" SET "gateways" = "gateways" - 1 WHERE "org_id" = OLD."org_id" AND "site_id" = OLD."site_id";
        UPDATE "gateway_counts" SET "gateways" = "gateways" + 1 WHERE "org_id" = NEW."org_id" AND "site_id" = NEW."site_id";
        RETURN NULL;
      END $$
    `);
    await queryRunner.query(`
      CREATE TRIGGER "gateway_counts_insert" AFTER INSERT ON "gateways"
      REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION "gateway_counts_add"()
    `);
    await queryRunner.query(`
      CREATE TRIGGER "gateway_counts_delete" AFTER DELETE ON "gateways"
      REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION "gateway_counts_remove"()
    `);
    await queryRunner.query(`
      CREATE TRIGGER "gateway_counts_update" AFTER UPDATE OF "org_id", "site_id" ON "gateways" FOR EACH ROW
      WHEN (OLD."org_id" IS DISTINCT FROM NEW."org_id" OR OLD."site_id" IS DISTINCT FROM NEW."site_id")
      EXECUTE FUNCTION "gateway_counts_move"()
    `);
    await queryRunner.query(`
      INSERT INTO "gateway_counts" ("org_id", "site_id", "gateways")
      SELECT "org_id", "site_id", count(*) FROM "gateways" GROUP BY "org_id", "site_id"
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "gateway_counts_update" ON "gateways"`);
    await queryRunner.query(`DROP TRIGGER "gateway_counts_delete" ON "gateways"`);
    await queryRunner.query(`DROP TRIGGER "gateway_counts_insert" ON "gateways"`);
    await queryRunner.query(`DROP FUNCTION "gateway_counts_move"()`);
    await queryRunner.query(`DROP FUNCTION "gateway_counts_remove"()`);
    await queryRunner.query(`DROP FUNCTION "gateway_counts_add"()`);
    await queryRunner.query(`ALTER TABLE "gateway_counts" DROP CONSTRAINT "FK_cbd4f27a02386014ebe38491749"`);
    await queryRunner.query(`ALTER TABLE "gateway_counts" DROP CONSTRAINT "FK_1f6b69e2aeb6e92c4ef36887b22"`);
    await queryRunner.query(`DROP TABLE "gateway_counts"`);
  }
}
