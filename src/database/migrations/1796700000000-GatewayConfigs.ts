import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Gateway configuration (v1.3): the gateway_configs table and its trigger, which records, in the
 * transaction that made it:
 * - a new desired version: `gateway.config_changed` ({version, changed_paths}, the actor, and
 *   the reason when the change context gives one, e.g. `camera_moved`), and a NOTIFY
 *   `config.changed` on the signal channel, sent at commit, so the instance holding the
 *   gateway's socket pushes the document at once;
 * - a new applied version reported by the gateway: `gateway.config_applied` ({version});
 * - a new rejected version: `gateway.config_rejected` ({version, errors}).
 */
export class GatewayConfigs1796700000000 implements MigrationInterface {
  name = 'GatewayConfigs1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "gateway_configs" ("gateway_id" uuid NOT NULL, "desired" jsonb NOT NULL DEFAULT '{}', "desired_version" bigint NOT NULL DEFAULT '0', "reported" jsonb, "applied_version" bigint, "rejected_version" bigint, "report_errors" jsonb NOT NULL DEFAULT '[]', "reported_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5033e3c57c8b2369d5f529c9e4b" PRIMARY KEY ("gateway_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "gateway_configs" ADD CONSTRAINT "FK_5033e3c57c8b2369d5f529c9e4b" FOREIGN KEY ("gateway_id") REFERENCES "gateways"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // The channel is the one SignalBus listens on (SIGNAL_CHANNEL in src/signals/signal-bus.ts).
    await queryRunner.query(`
      CREATE FUNCTION "gateway_config_record"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        ctx jsonb := "gateway_change_context"();
        base jsonb := CASE WHEN ctx ? 'actor' THEN jsonb_build_object('actor', ctx->'actor') ELSE '{}'::jsonb END;
        before_desired bigint := CASE WHEN TG_OP = 'UPDATE' THEN OLD.desired_version ELSE 0 END;
        before_applied bigint := CASE WHEN TG_OP = 'UPDATE' THEN OLD.applied_version END;
        before_rejected bigint := CASE WHEN TG_OP = 'UPDATE' THEN OLD.rejected_version END;
      BEGIN
        IF NEW.desired_version IS DISTINCT FROM before_desired THEN
          INSERT INTO "gateway_events" ("type", "occurred_at", "org_id", "site_id", "gateway_id", "data")
          SELECT 'gateway.config_changed', clock_timestamp(), g.org_id, g.site_id, g.id,
                 base || jsonb_build_object('version', NEW.desired_version, 'changed_paths', COALESCE(ctx->'changed_paths', '[]'::jsonb))
                      || CASE WHEN ctx ? 'reason' THEN jsonb_build_object('reason', ctx->>'reason') ELSE '{}'::jsonb END
            FROM "gateways" g WHERE g.id = NEW.gateway_id;
          PERFORM pg_notify('novavms_signals', jsonb_build_object('type', 'config.changed', 'gatewayIds', jsonb_build_array(NEW.gateway_id))::text);
        END IF;
        IF NEW.applied_version IS DISTINCT FROM before_applied AND NEW.applied_version IS NOT NULL THEN
          INSERT INTO "gateway_events" ("type", "occurred_at", "org_id", "site_id", "gateway_id", "data")
          SELECT 'gateway.config_applied', clock_timestamp(), g.org_id, g.site_id, g.id, jsonb_build_object('version', NEW.applied_version)
            FROM "gateways" g WHERE g.id = NEW.gateway_id;
        END IF;
        IF NEW.rejected_version IS DISTINCT FROM before_rejected AND NEW.rejected_version IS NOT NULL THEN
          INSERT INTO "gateway_events" ("type", "occurred_at", "org_id", "site_id", "gateway_id", "data")
          SELECT 'gateway.config_rejected', clock_timestamp(), g.org_id, g.site_id, g.id,
                 jsonb_build_object('version', NEW.rejected_version, 'errors', NEW.report_errors)
            FROM "gateways" g WHERE g.id = NEW.gateway_id;
        END IF;
        RETURN NULL;
      END $$
    `);
    await queryRunner.query(`
      CREATE TRIGGER "gateway_config_insert" AFTER INSERT ON "gateway_configs"
      FOR EACH ROW EXECUTE FUNCTION "gateway_config_record"()
    `);
    await queryRunner.query(`
      CREATE TRIGGER "gateway_config_update" AFTER UPDATE ON "gateway_configs"
      FOR EACH ROW WHEN (OLD.desired_version IS DISTINCT FROM NEW.desired_version OR OLD.applied_version IS DISTINCT FROM NEW.applied_version
                         OR OLD.rejected_version IS DISTINCT FROM NEW.rejected_version)
      EXECUTE FUNCTION "gateway_config_record"()
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "gateway_config_update" ON "gateway_configs"`);
    await queryRunner.query(`DROP TRIGGER "gateway_config_insert" ON "gateway_configs"`);
    await queryRunner.query(`DROP FUNCTION "gateway_config_record"()`);
    await queryRunner.query(`ALTER TABLE "gateway_configs" DROP CONSTRAINT "FK_5033e3c57c8b2369d5f529c9e4b"`);
    await queryRunner.query(`DROP TABLE "gateway_configs"`);
  }
}
