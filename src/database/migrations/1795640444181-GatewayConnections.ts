import { MigrationInterface, QueryRunner } from "typeorm";

export class GatewayConnections1795640444181 implements MigrationInterface {
    name = 'GatewayConnections1795640444181'

    public async up(queryRunner: QueryRunner): Promise<void> {
        // Orders WebSocket connections across instances: the newest connection of a gateway wins.
        await queryRunner.query(`CREATE SEQUENCE IF NOT EXISTS "gateway_connection_seq"`);
        await queryRunner.query(`
            ALTER TABLE "gateways"
            ADD "connection_seq" bigint
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_gateways_online_heartbeat" ON "gateways" ("last_heartbeat_at")
            WHERE "status" = 'online'
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_gateways_online_heartbeat"
        `);
        await queryRunner.query(`
            ALTER TABLE "gateways" DROP COLUMN "connection_seq"
        `);
        await queryRunner.query(`DROP SEQUENCE IF EXISTS "gateway_connection_seq"`);
    }

}
