import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Gateway credentials (v1.3): keys become rows of their own, with rotations, and what cloned-key
 * detection reads.
 * - gateway_keys: every key a gateway has had (its SHA-256 only), with its state. The key of each
 *   paired gateway moves here as its `active` key, and gateways.key_hash goes; a gateway's newest
 *   connection records the key it used (gateways.connection_key_id).
 * - The tombstones of a deleted gateway are now the hashes of all its keys (written when its keys
 *   are deleted with it), so every key it ever had is answered 404.
 * - A rotation's pending key becoming active (its first connection) completes the rotation in the
 *   same statement: the key before it is `retiring` until the grace ends (revoked at once with a
 *   grace of 0), any other usable key is revoked, and `gateway.key_rotated` is written.
 * - Each connection made with a retiring key is a `gateway.retired_key_used` event.
 * - A gateway_credential_conflicts row written (at most one per gateway per 10 minutes) is a
 *   `gateway.credential_conflict` event.
 * - pairing_codes.gateway_id is no longer unique: a gateway paired again has had several codes.
 * Instances of the release before this one claim connections against gateways.key_hash: from
 * this migration on they answer upgrades 503 until they are replaced.
 */
export class GatewayCredentials1796800000000 implements MigrationInterface {
  name = 'GatewayCredentials1796800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "gateway_key_rotations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "gateway_id" uuid NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "grace_s" integer NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE, "sent_seq" bigint, "acknowledged_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, "actor" jsonb NOT NULL, CONSTRAINT "CHK_gateway_key_rotations_status" CHECK ("status" IN ('pending', 'sent', 'acknowledged', 'completed', 'canceled')), CONSTRAINT "PK_1cbbe465a70915e4454652d036e" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_gateway_key_rotations_unfinished" ON "gateway_key_rotations"  ("gateway_id") WHERE "status" IN ('pending', 'sent', 'acknowledged')`);
    await queryRunner.query(`CREATE TABLE "gateway_replacements" ("gateway_id" uuid NOT NULL, "replaced_seq" bigint NOT NULL, "by_seq" bigint NOT NULL, "peer_address" character varying(64) NOT NULL, "boot_id" uuid, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c3db3295398eb791e1b08433f17" PRIMARY KEY ("gateway_id", "replaced_seq"))`);
    await queryRunner.query(`CREATE INDEX "IDX_gateway_replacements_at" ON "gateway_replacements"  ("at") `);
    await queryRunner.query(`CREATE TABLE "gateway_credential_conflicts" ("gateway_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "peers" jsonb NOT NULL, "replacements" integer NOT NULL, CONSTRAINT "PK_b8c70cda7f79a5fa997aa35999e" PRIMARY KEY ("gateway_id"))`);
    await queryRunner.query(`CREATE TABLE "gateway_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "gateway_id" uuid NOT NULL, "key_hash" character(64) NOT NULL, "state" character varying(16) NOT NULL, "rotation_id" uuid, "last_used_at" TIMESTAMP WITH TIME ZONE, "last_peer_address" character varying(64), "expires_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_gateway_keys_state" CHECK ("state" IN ('pending', 'active', 'retiring', 'revoked')), CONSTRAINT "PK_2c822d9d5544187b9ec6846e78d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_gateway_keys_key_hash" ON "gateway_keys"  ("key_hash") `);
    await queryRunner.query(`CREATE INDEX "IDX_gateway_keys_gateway" ON "gateway_keys"  ("gateway_id") `);
    await queryRunner.query(`ALTER TABLE "gateway_key_rotations" ADD CONSTRAINT "FK_d454de13adbe54c9c50bc94b5a2" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "gateway_key_rotations" ADD CONSTRAINT "FK_6ff96119b2802ab21932b2f4743" FOREIGN KEY ("gateway_id") REFERENCES "gateways"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "gateway_replacements" ADD CONSTRAINT "FK_5a4359c6386636f3fb661e3c210" FOREIGN KEY ("gateway_id") REFERENCES "gateways"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "gateway_credential_conflicts" ADD CONSTRAINT "FK_b8c70cda7f79a5fa997aa35999e" FOREIGN KEY ("gateway_id") REFERENCES "gateways"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "gateway_keys" ADD CONSTRAINT "FK_04abb2daf60dde523ab653c9ecb" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "gateway_keys" ADD CONSTRAINT "FK_f0d215f703a72a3306abc4b2017" FOREIGN KEY ("gateway_id") REFERENCES "gateways"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);

    // A gateway paired again has more than one code over its life.
    await queryRunner.query(`DROP INDEX "public"."UQ_pairing_codes_gateway"`);
    await queryRunner.query(`CREATE INDEX "IDX_pairing_codes_gateway" ON "pairing_codes" ("gateway_id") `);
    // Every paired gateway's key becomes its active key.
    await queryRunner.query(`
    INSERT INTO "gateway_keys" ("org_id", "gateway_id", "key_hash", "state", "created_at")
    SELECT "org_id", "id", "key_hash", 'active', COALESCE("paired_at", now()) FROM "gateways" WHERE "key_hash" IS NOT NULL
    `);
    await queryRunner.query(`DROP TRIGGER "gateway_tombstones_delete" ON "gateways"`);
    await queryRunner.query(`DROP FUNCTION "gateway_tombstones_add"()`);
    await queryRunner.query(`DROP INDEX "public"."UQ_gateways_key_hash"`);
    await queryRunner.query(`ALTER TABLE "gateways" DROP COLUMN "key_hash"`);
    await queryRunner.query(`ALTER TABLE "gateways" ADD "connection_key_id" uuid`);

    await queryRunner.query(`
    CREATE FUNCTION "gateway_key_tombstones_add"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO "gateway_tombstones" ("key_hash", "gateway_id", "org_id")
      SELECT "key_hash", "gateway_id", "org_id" FROM removed
      ON CONFLICT ("key_hash") DO NOTHING;
      RETURN NULL;
    END $$
    `);
    await queryRunner.query(`
    CREATE TRIGGER "gateway_key_tombstones_delete" AFTER DELETE ON "gateway_keys"
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION "gateway_key_tombstones_add"()
    `);

    await queryRunner.query(`
    CREATE FUNCTION "gateway_key_rotation_complete"() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      rotation record;
      previous uuid;
    BEGIN
      SELECT r.id, r.grace_s, r.actor INTO rotation FROM "gateway_key_rotations" r WHERE r.id = NEW.rotation_id;
      SELECT k.id INTO previous FROM "gateway_keys" k
       WHERE k.gateway_id = NEW.gateway_id AND k.id <> NEW.id AND k.state = 'active' LIMIT 1;
      UPDATE "gateway_keys" k
         SET state = CASE WHEN k.state = 'active' AND rotation.grace_s > 0 THEN 'retiring' ELSE 'revoked' END,
             expires_at = CASE WHEN k.state = 'active' AND rotation.grace_s > 0 THEN now() + make_interval(secs => rotation.grace_s) ELSE k.expires_at END,
             revoked_at = CASE WHEN k.state = 'active' AND rotation.grace_s > 0 THEN NULL ELSE now() END
       WHERE k.gateway_id = NEW.gateway_id AND k.id <> NEW.id AND k.state IN ('pending', 'active', 'retiring');
      UPDATE "gateway_key_rotations" SET status = 'completed', completed_at = now()
       WHERE id = NEW.rotation_id AND status IN ('pending', 'sent', 'acknowledged');
      INSERT INTO "gateway_events" ("type", "occurred_at", "org_id", "site_id", "gateway_id", "data")
      SELECT 'gateway.key_rotated', clock_timestamp(), g.org_id, g.site_id, g.id,
             CASE WHEN rotation.actor IS NOT NULL THEN jsonb_build_object('actor', rotation.actor) ELSE '{}'::jsonb END
             || jsonb_build_object(
                  'rotation_id', NEW.rotation_id, 'key_id', NEW.id, 'previous_key_id', previous,
                  'retiring_until', CASE WHEN previous IS NOT NULL AND rotation.grace_s > 0
                    THEN to_char((now() + make_interval(secs => rotation.grace_s)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') END)
        FROM "gateways" g WHERE g.id = NEW.gateway_id;
      RETURN NULL;
    END $$
    `);
    await queryRunner.query(`
    CREATE TRIGGER "gateway_key_activated" AFTER UPDATE OF "state" ON "gateway_keys"
    FOR EACH ROW WHEN (OLD.state = 'pending' AND NEW.state = 'active')
    EXECUTE FUNCTION "gateway_key_rotation_complete"()
    `);

    await queryRunner.query(`
    CREATE FUNCTION "gateway_retired_key_used"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO "gateway_events" ("type", "occurred_at", "org_id", "site_id", "gateway_id", "data")
      SELECT 'gateway.retired_key_used', clock_timestamp(), g.org_id, g.site_id, g.id,
             jsonb_build_object('key_id', NEW.id, 'peer_address', NEW.last_peer_address,
               'retiring_until', to_char(NEW.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
        FROM "gateways" g WHERE g.id = NEW.gateway_id;
      RETURN NULL;
    END $$
    `);
    await queryRunner.query(`
    CREATE TRIGGER "gateway_retired_key_used" AFTER UPDATE OF "last_used_at" ON "gateway_keys"
    FOR EACH ROW WHEN (NEW.state = 'retiring')
    EXECUTE FUNCTION "gateway_retired_key_used"()
    `);

    await queryRunner.query(`
    CREATE FUNCTION "gateway_credential_conflict_record"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO "gateway_events" ("type", "occurred_at", "org_id", "site_id", "gateway_id", "data")
      SELECT 'gateway.credential_conflict', clock_timestamp(), g.org_id, g.site_id, g.id,
             jsonb_build_object('peers', NEW.peers, 'replacements', NEW.replacements)
        FROM "gateways" g WHERE g.id = NEW.gateway_id;
      RETURN NULL;
    END $$
    `);
    await queryRunner.query(`
    CREATE TRIGGER "gateway_credential_conflict_record" AFTER INSERT OR UPDATE ON "gateway_credential_conflicts"
    FOR EACH ROW EXECUTE FUNCTION "gateway_credential_conflict_record"()
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "gateway_credential_conflict_record" ON "gateway_credential_conflicts"`);
    await queryRunner.query(`DROP FUNCTION "gateway_credential_conflict_record"()`);
    await queryRunner.query(`DROP TRIGGER "gateway_retired_key_used" ON "gateway_keys"`);
    await queryRunner.query(`DROP FUNCTION "gateway_retired_key_used"()`);
    await queryRunner.query(`DROP TRIGGER "gateway_key_activated" ON "gateway_keys"`);
    await queryRunner.query(`DROP FUNCTION "gateway_key_rotation_complete"()`);
    await queryRunner.query(`DROP TRIGGER "gateway_key_tombstones_delete" ON "gateway_keys"`);
    await queryRunner.query(`DROP FUNCTION "gateway_key_tombstones_add"()`);
    await queryRunner.query(`ALTER TABLE "gateways" DROP COLUMN "connection_key_id"`);
    await queryRunner.query(`ALTER TABLE "gateways" ADD "key_hash" character(64)`);
    await queryRunner.query(`
    UPDATE "gateways" g SET "key_hash" = k."key_hash" FROM "gateway_keys" k WHERE k."gateway_id" = g."id" AND k."state" = 'active'
    `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_gateways_key_hash" ON "gateways" ("key_hash")`);
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
    await queryRunner.query(`ALTER TABLE "gateway_keys" DROP CONSTRAINT "FK_f0d215f703a72a3306abc4b2017"`);
    await queryRunner.query(`ALTER TABLE "gateway_keys" DROP CONSTRAINT "FK_04abb2daf60dde523ab653c9ecb"`);
    await queryRunner.query(`ALTER TABLE "gateway_credential_conflicts" DROP CONSTRAINT "FK_b8c70cda7f79a5fa997aa35999e"`);
    await queryRunner.query(`ALTER TABLE "gateway_replacements" DROP CONSTRAINT "FK_5a4359c6386636f3fb661e3c210"`);
    await queryRunner.query(`ALTER TABLE "gateway_key_rotations" DROP CONSTRAINT "FK_6ff96119b2802ab21932b2f4743"`);
    await queryRunner.query(`ALTER TABLE "gateway_key_rotations" DROP CONSTRAINT "FK_d454de13adbe54c9c50bc94b5a2"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_gateway_keys_gateway"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_gateway_keys_key_hash"`);
    await queryRunner.query(`DROP TABLE "gateway_keys"`);
    await queryRunner.query(`DROP TABLE "gateway_credential_conflicts"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_gateway_replacements_at"`);
    await queryRunner.query(`DROP TABLE "gateway_replacements"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_gateway_key_rotations_unfinished"`);
    await queryRunner.query(`DROP TABLE "gateway_key_rotations"`);
    // The newest code of each gateway is the one it keeps.
    await queryRunner.query(`
    DELETE FROM "pairing_codes" p USING "pairing_codes" q
     WHERE q."gateway_id" = p."gateway_id" AND (q."created_at", q."id") > (p."created_at", p."id")
    `);
    await queryRunner.query(`DROP INDEX "public"."IDX_pairing_codes_gateway"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_pairing_codes_gateway" ON "pairing_codes" ("gateway_id") `);
  }
}
