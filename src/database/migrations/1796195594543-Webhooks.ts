import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks (v1.2): endpoints, the delivery log (one row per attempt, which is also the work
 * queue: claimed with a lease, FOR UPDATE SKIP LOCKED), and the dispatch cursor — the `seq` up
 * to which events have been turned into deliveries. The cursor starts at the present head of the
 * event log: events from before webhooks existed are not delivered.
 */
export class Webhooks1796195594543 implements MigrationInterface {
  name = 'Webhooks1796195594543';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "webhooks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "url" character varying(2048) NOT NULL, "event_types" character varying(64) array NOT NULL, "site_ids" uuid array, "description" character varying(500), "enabled" boolean NOT NULL DEFAULT true, "disabled_reason" character varying(32), "secret" character varying(100) NOT NULL, "previous_secret" character varying(100), "previous_secret_expires_at" TIMESTAMP WITH TIME ZONE, "failing_since" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9e8795cfc899ab7bdaa831e8527" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_webhooks_org" ON "webhooks" ("org_id")`);
    await queryRunner.query(`CREATE SEQUENCE "webhook_deliveries_position"`);
    await queryRunner.query(
      `CREATE TABLE "webhook_deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "position" bigint NOT NULL DEFAULT nextval('webhook_deliveries_position'), "webhook_id" uuid NOT NULL, "org_id" uuid NOT NULL, "event_id" uuid NOT NULL, "event_type" character varying(64) NOT NULL, "body" text NOT NULL, "attempt" integer NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "response_status" integer, "error" character varying(1200), "duration_ms" integer, "attempted_at" TIMESTAMP WITH TIME ZONE, "next_attempt_at" TIMESTAMP WITH TIME ZONE, "lease_until" TIMESTAMP WITH TIME ZONE, "leased_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_webhook_deliveries_status" CHECK ("status" IN ('pending', 'succeeded', 'failed')), CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_webhook_deliveries_webhook_position" ON "webhook_deliveries" ("webhook_id", "position")`);
    await queryRunner.query(`CREATE INDEX "IDX_webhook_deliveries_due" ON "webhook_deliveries" ("next_attempt_at") WHERE "status" = 'pending'`);
    await queryRunner.query(
      `CREATE TABLE "webhook_dispatch_cursor" ("id" smallint NOT NULL, "last_seq" bigint NOT NULL, CONSTRAINT "CHK_webhook_dispatch_cursor_single_row" CHECK ("id" = 1), CONSTRAINT "PK_8b111bafeb3edf5366eacfd68af" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`INSERT INTO "webhook_dispatch_cursor" ("id", "last_seq") SELECT 1, "last_seq" FROM "event_log_head" WHERE "id" = 1`);
    await queryRunner.query(
      `ALTER TABLE "webhooks" ADD CONSTRAINT "FK_d15993f8952230f47d88d4d0653" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "FK_a0286aeb96db651efd1ae2966f2" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "webhook_dispatch_cursor"`);
    await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
    await queryRunner.query(`DROP SEQUENCE "webhook_deliveries_position"`);
    await queryRunner.query(`DROP TABLE "webhooks"`);
  }
}
