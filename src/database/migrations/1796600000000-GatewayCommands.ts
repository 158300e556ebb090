import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Remote commands (v1.3): the gateway_commands table, and three triggers.
 * - Each end state of a command is an event `command.<status>` ({command_id, type, status}, and
 *   the actor of a cancel), in the transaction that set it, so webhooks carry it.
 * - A new command, and a finished one, is a NOTIFY on the signal channel, sent at commit: the
 *   instance holding the gateway's socket sends it at once (`commands.queued`), and a read
 *   waiting with `wait_s` on any instance answers at once (`command.finished`). A lost
 *   notification only delays: the delivery poll and the waiting reads re-read the rows.
 * - A gateway that goes offline while a `gateway.reboot` of it is sent or accepted goes offline
 *   for that reason: its `gateway.offline` event has reason `rebooting`, the command's id and
 *   `planned_until` (the command's deadline), and availability counts the time up to then as
 *   planned — a reboot that never comes back is downtime from its deadline on.
 */
export class GatewayCommands1796600000000 implements MigrationInterface {
  name = 'GatewayCommands1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SEQUENCE "gateway_commands_position"`);
    await queryRunner.query(`CREATE TABLE "gateway_commands" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "position" bigint NOT NULL DEFAULT nextval('gateway_commands_position'), "gateway_id" uuid NOT NULL, "type" character varying(32) NOT NULL, "params" jsonb NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'queued', "attempt" integer NOT NULL DEFAULT '0', "timeout_s" integer NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE, "deadline_at" TIMESTAMP WITH TIME ZONE, "sent_boot_id" uuid, "accepted_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, "result" jsonb, "error" jsonb, "late_result" jsonb, "actor" jsonb NOT NULL, "idempotency_key" character varying(64), "request_hash" character(64), CONSTRAINT "CHK_gateway_commands_status" CHECK ("status" IN ('queued', 'sent', 'accepted', 'succeeded', 'failed', 'rejected', 'expired', 'canceled', 'timed_out')), CONSTRAINT "PK_7cd6c32b4134a1abbdeec4aa993" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_gateway_commands_idempotency_key" ON "gateway_commands"  ("org_id", "idempotency_key") WHERE "idempotency_key" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_gateway_commands_completed" ON "gateway_commands"  ("completed_at") WHERE "completed_at" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_gateway_commands_running_deadline" ON "gateway_commands"  ("deadline_at") WHERE "status" IN ('sent', 'accepted')`);
    await queryRunner.query(`CREATE INDEX "IDX_gateway_commands_queued_expiry" ON "gateway_commands"  ("expires_at") WHERE "status" = 'queued'`);
    await queryRunner.query(`CREATE INDEX "IDX_gateway_commands_unfinished" ON "gateway_commands"  ("gateway_id") WHERE "status" IN ('queued', 'sent', 'accepted')`);
    await queryRunner.query(`CREATE INDEX "IDX_gateway_commands_gateway_position" ON "gateway_commands"  ("gateway_id", "position") `);
    await queryRunner.query(`ALTER TABLE "gateway_commands" ADD CONSTRAINT "FK_0608698e10fdb4685ce93d9e40d" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "gateway_commands" ADD CONSTRAINT "FK_48255a1606a4f82f10401e3ac0d" FOREIGN KEY ("gateway_id") REFERENCES "gateways"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    // The channel is the one SignalBus listens on (SIGNAL_CHANNEL in src/signals/signal-bus.ts).
    await queryRunner.query(`
    CREATE FUNCTION "gateway_command_record"() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      ctx jsonb := "gateway_change_context"();
    BEGIN
      IF TG_OP = 'INSERT' THEN
        PERFORM pg_notify('novavms_signals', jsonb_build_object('type', 'commands.queued', 'gatewayIds', jsonb_build_array(NEW.gateway_id))::text);
        RETURN NULL;
      END IF;
      INSERT INTO "gateway_events" ("type", "occurred_at", "org_id", "site_id", "gateway_id", "data")
      SELECT 'command.' || NEW.status, clock_timestamp(), g.org_id, g.site_id, g.id,
             CASE WHEN NEW.status = 'canceled' AND ctx ? 'actor' THEN jsonb_build_object('actor', ctx->'actor') ELSE '{}'::jsonb END
             || jsonb_build_object('command_id', NEW.id, 'type', NEW.type, 'status', NEW.status)
        FROM "gateways" g WHERE g.id = NEW.gateway_id;
      PERFORM pg_notify('novavms_signals', jsonb_build_object('type', 'command.finished', 'commandId', NEW.id)::text);
      RETURN NULL;
    END $$
    `);
    await queryRunner.query(`
    CREATE TRIGGER "gateway_command_insert" AFTER INSERT ON "gateway_commands"
    FOR EACH ROW EXECUTE FUNCTION "gateway_command_record"()
    `);
    await queryRunner.query(`
    CREATE TRIGGER "gateway_command_finished" AFTER UPDATE OF "status" ON "gateway_commands"
    FOR EACH ROW WHEN (OLD.status IN ('queued', 'sent', 'accepted') AND NEW.status NOT IN ('queued', 'sent', 'accepted'))
    EXECUTE FUNCTION "gateway_command_record"()
    `);
    await queryRunner.query(`
    CREATE FUNCTION "gateway_offline_rebooting"() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      reboot uuid;
      deadline timestamptz;
    BEGIN
      SELECT c.id, c.deadline_at INTO reboot, deadline FROM "gateway_commands" c
       WHERE c.gateway_id = NEW.gateway_id AND c.type = 'gateway.reboot' AND c.status IN ('sent', 'accepted')
       ORDER BY c.sent_at DESC LIMIT 1;
      IF reboot IS NOT NULL THEN
        NEW.data := NEW.data || jsonb_build_object('reason', 'rebooting', 'command_id', reboot,
          'planned_until', to_char(deadline AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
      END IF;
      RETURN NEW;
    END $$
    `);
    await queryRunner.query(`
    CREATE TRIGGER "gateway_offline_rebooting" BEFORE INSERT ON "gateway_events"
    FOR EACH ROW WHEN (NEW.type = 'gateway.offline')
    EXECUTE FUNCTION "gateway_offline_rebooting"()
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "gateway_offline_rebooting" ON "gateway_events"`);
    await queryRunner.query(`DROP FUNCTION "gateway_offline_rebooting"()`);
    await queryRunner.query(`DROP TRIGGER "gateway_command_finished" ON "gateway_commands"`);
    await queryRunner.query(`DROP TRIGGER "gateway_command_insert" ON "gateway_commands"`);
    await queryRunner.query(`DROP FUNCTION "gateway_command_record"()`);
    await queryRunner.query(`ALTER TABLE "gateway_commands" DROP CONSTRAINT "FK_48255a1606a4f82f10401e3ac0d"`);
    await queryRunner.query(`ALTER TABLE "gateway_commands" DROP CONSTRAINT "FK_0608698e10fdb4685ce93d9e40d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_gateway_commands_gateway_position"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_gateway_commands_unfinished"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_gateway_commands_queued_expiry"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_gateway_commands_running_deadline"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_gateway_commands_completed"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_gateway_commands_idempotency_key"`);
    await queryRunner.query(`DROP TABLE "gateway_commands"`);
    await queryRunner.query(`DROP SEQUENCE "gateway_commands_position"`);
  }
}
