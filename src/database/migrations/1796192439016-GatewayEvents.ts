import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gateway event log (v1.2). Events are written by triggers, in the transaction of the change
 * they record, whatever statement made it — the API's, the frame flush's, the liveness sweep's
 * or plain SQL — so there is no change without its event and no event without its change.
 *
 * Who and why travel in the transaction-local setting `novavms.change` (JSON): `actor`
 * ({key_id, key_name}) when a user's request made the change, and `reason`, or `reasons` by new
 * status, for status events. A change made without it gets the reason `database_change`.
 *
 * Status events by new status: online → gateway.online; disabled → gateway.disabled; offline
 * → gateway.paired (from registered), gateway.enabled (from disabled), else gateway.offline.
 * A name or site change → gateway.updated with data.changes. `occurred_at` is the database's
 * clock when the row changed (clock_timestamp): changes of one gateway, serialized by its row
 * lock, get increasing times. Camera events come from the live
 * state: one per camera whose reported status differs from what was stored.
 */
export class GatewayEvents1796192439016 implements MigrationInterface {
  name = 'GatewayEvents1796192439016';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "event_log_head" ("id" smallint NOT NULL, "last_seq" bigint NOT NULL, CONSTRAINT "CHK_event_log_head_single_row" CHECK ("id" = 1), CONSTRAINT "PK_539c0c1b171912f7ca416e66573" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`INSERT INTO "event_log_head" ("id", "last_seq") VALUES (1, 0)`);
    await queryRunner.query(`CREATE SEQUENCE "gateway_events_write_order"`);
    await queryRunner.query(
      `CREATE TABLE "gateway_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" bigint, "written" bigint NOT NULL DEFAULT nextval('gateway_events_write_order'), "type" character varying(64) NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "org_id" uuid NOT NULL, "site_id" uuid NOT NULL, "gateway_id" uuid NOT NULL, "camera_id" uuid, "data" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_f4f632813d48e74a6feb35833ad" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_gateway_events_occurred_at" ON "gateway_events" ("occurred_at")`);
    await queryRunner.query(`CREATE INDEX "IDX_gateway_events_unsequenced" ON "gateway_events" ("written") WHERE "seq" IS NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_gateway_events_camera_seq" ON "gateway_events" ("camera_id", "seq") WHERE "camera_id" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_gateway_events_gateway_seq" ON "gateway_events" ("gateway_id", "seq")`);
    await queryRunner.query(`CREATE INDEX "IDX_gateway_events_org_seq" ON "gateway_events" ("org_id", "seq")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_gateway_events_seq" ON "gateway_events" ("seq")`);
    // No foreign key to orgs: it would take a share lock on the org's row for every event
    // written, which waits behind (and deadlocks with) generate-pairing-code's lock of that row.
    // An org's events go with it by trigger instead.
    await queryRunner.query(`
      CREATE FUNCTION "gateway_events_forget_org"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM "gateway_events" WHERE org_id = OLD.id;
        RETURN NULL;
      END $$
    `);
    await queryRunner.query(`
      CREATE TRIGGER "gateway_events_org_delete" AFTER DELETE ON "orgs"
      FOR EACH ROW EXECUTE FUNCTION "gateway_events_forget_org"()
    `);

    await queryRunner.query(`
      CREATE FUNCTION "gateway_change_context"() RETURNS jsonb LANGUAGE sql STABLE AS $$
        SELECT COALESCE(NULLIF(current_setting('novavms.change', true), ''), '{}')::jsonb
      $$
    `);
    await queryRunner.query(`
      CREATE FUNCTION "gateway_events_record"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        ctx jsonb := "gateway_change_context"();
        base jsonb := CASE WHEN ctx ? 'actor' THEN jsonb_build_object('actor', ctx->'actor') ELSE '{}'::jsonb END;
        changes jsonb := '{}'::jsonb;
        kind text;
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO "gateway_events" ("type", "occurred_at", "org_id", "site_id", "gateway_id", "data")
          VALUES ('gateway.registered', clock_timestamp(), NEW.org_id, NEW.site_id, NEW.id,
                  base || jsonb_build_object('status', NEW.status, 'name', NEW.name));
          RETURN NULL;
        END IF;
        IF TG_OP = 'DELETE' THEN
          -- An org being deleted takes its events with it: nothing to record.
          IF EXISTS (SELECT 1 FROM "orgs" WHERE id = OLD.org_id) THEN
            INSERT INTO "gateway_events" ("type", "occurred_at", "org_id", "site_id", "gateway_id", "data")
            VALUES ('gateway.deleted', clock_timestamp(), OLD.org_id, OLD.site_id, OLD.id, base || jsonb_build_object('previous_status', OLD.status));
          END IF;
          RETURN NULL;
        END IF;
        IF NEW.status IS DISTINCT FROM OLD.status THEN
          kind := CASE
            WHEN NEW.status = 'online' THEN 'gateway.online'
            WHEN NEW.status = 'disabled' THEN 'gateway.disabled'
            WHEN NEW.status = 'offline' AND OLD.status = 'registered' THEN 'gateway.paired'
            WHEN NEW.status = 'offline' AND OLD.status = 'disabled' THEN 'gateway.enabled'
            WHEN NEW.status = 'offline' THEN 'gateway.offline'
            ELSE 'gateway.registered' END;
          INSERT INTO "gateway_events" ("type", "occurred_at", "org_id", "site_id", "gateway_id", "data")
          VALUES (kind, clock_timestamp(), NEW.org_id, NEW.site_id, NEW.id,
                  base || jsonb_build_object('previous_status', OLD.status,
                                             'reason', COALESCE(ctx->'reasons'->>NEW.status, ctx->>'reason', 'database_change')));
        END IF;
        IF NEW.name IS DISTINCT FROM OLD.name THEN
          changes := changes || jsonb_build_object('name', jsonb_build_object('from', OLD.name, 'to', NEW.name));
        END IF;
        IF NEW.site_id IS DISTINCT FROM OLD.site_id THEN
          changes := changes || jsonb_build_object('site_id', jsonb_build_object('from', OLD.site_id, 'to', NEW.site_id));
        END IF;
        IF changes <> '{}'::jsonb THEN
          INSERT INTO "gateway_events" ("type", "occurred_at", "org_id", "site_id", "gateway_id", "data")
          VALUES ('gateway.updated', clock_timestamp(), NEW.org_id, NEW.site_id, NEW.id, base || jsonb_build_object('changes', changes));
        END IF;
        RETURN NULL;
      END $$
    `);
    await queryRunner.query(`
      CREATE TRIGGER "gateway_events_insert" AFTER INSERT ON "gateways"
      FOR EACH ROW EXECUTE FUNCTION "gateway_events_record"()
    `);
    // Only the changes that are events call the function: the connection claim and the
    // updated_at of every flush do not.
    await queryRunner.query(`
      CREATE TRIGGER "gateway_events_update" AFTER UPDATE ON "gateways"
      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.name IS DISTINCT FROM NEW.name OR OLD.site_id IS DISTINCT FROM NEW.site_id)
      EXECUTE FUNCTION "gateway_events_record"()
    `);
    await queryRunner.query(`
      CREATE TRIGGER "gateway_events_delete" AFTER DELETE ON "gateways"
      FOR EACH ROW EXECUTE FUNCTION "gateway_events_record"()
    `);
    await queryRunner.query(`
      CREATE FUNCTION "camera_events_record"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        before jsonb := CASE WHEN TG_OP = 'UPDATE' THEN OLD.camera_recording_status END;
      BEGIN
        INSERT INTO "gateway_events" ("type", "occurred_at", "org_id", "site_id", "gateway_id", "camera_id", "data")
        SELECT 'camera.recording_status_changed', clock_timestamp(), g.org_id, g.site_id, g.id, now_.key::uuid,
               jsonb_build_object('camera_id', now_.key, 'from', before->now_.key, 'to', now_.value)
          FROM jsonb_each(COALESCE(NEW.camera_recording_status, '{}'::jsonb)) AS now_
          JOIN "gateways" g ON g.id = NEW.gateway_id
         WHERE (before->now_.key) IS DISTINCT FROM now_.value
           AND now_.key ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
        RETURN NULL;
      END $$
    `);
    // Row triggers with a WHEN clause: a flush of 10,000 live-state rows calls the function only
    // for the rows whose camera statuses changed.
    await queryRunner.query(`
      CREATE TRIGGER "camera_events_update" AFTER UPDATE ON "gateway_telemetry"
      FOR EACH ROW WHEN (OLD.camera_recording_status IS DISTINCT FROM NEW.camera_recording_status)
      EXECUTE FUNCTION "camera_events_record"()
    `);
    await queryRunner.query(`
      CREATE TRIGGER "camera_events_insert" AFTER INSERT ON "gateway_telemetry"
      FOR EACH ROW WHEN (NEW.camera_recording_status IS NOT NULL AND NEW.camera_recording_status <> '{}'::jsonb)
      EXECUTE FUNCTION "camera_events_record"()
    `);
    // Gateways that exist before events do: their present state is their first event, so that
    // availability has a starting point.
    await queryRunner.query(`
      INSERT INTO "gateway_events" ("type", "org_id", "site_id", "gateway_id", "data")
      SELECT CASE g.status WHEN 'online' THEN 'gateway.online' WHEN 'disabled' THEN 'gateway.disabled'
                           WHEN 'registered' THEN 'gateway.registered' ELSE 'gateway.offline' END,
             g.org_id, g.site_id, g.id, jsonb_build_object('previous_status', null, 'reason', 'event_log_started')
        FROM "gateways" g ORDER BY g.created_at, g.id
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "camera_events_insert" ON "gateway_telemetry"`);
    await queryRunner.query(`DROP TRIGGER "camera_events_update" ON "gateway_telemetry"`);
    await queryRunner.query(`DROP FUNCTION "camera_events_record"()`);
    await queryRunner.query(`DROP TRIGGER "gateway_events_delete" ON "gateways"`);
    await queryRunner.query(`DROP TRIGGER "gateway_events_update" ON "gateways"`);
    await queryRunner.query(`DROP TRIGGER "gateway_events_insert" ON "gateways"`);
    await queryRunner.query(`DROP FUNCTION "gateway_events_record"()`);
    await queryRunner.query(`DROP FUNCTION "gateway_change_context"()`);
    await queryRunner.query(`DROP TRIGGER "gateway_events_org_delete" ON "orgs"`);
    await queryRunner.query(`DROP FUNCTION "gateway_events_forget_org"()`);
    await queryRunner.query(`DROP TABLE "gateway_events"`);
    await queryRunner.query(`DROP SEQUENCE "gateway_events_write_order"`);
    await queryRunner.query(`DROP TABLE "event_log_head"`);
  }
}
