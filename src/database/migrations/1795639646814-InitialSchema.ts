import { MigrationInterface, QueryRunner } from "typeorm";

export class InitialSchema1795639646814 implements MigrationInterface {
    name = 'InitialSchema1795639646814'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "orgs" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" character varying(200) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_9eed8bfad4c9e0dc8648e090efe" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "api_keys" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "org_id" uuid NOT NULL,
                "name" character varying(100) NOT NULL,
                "role" character varying(16) NOT NULL,
                "site_ids" uuid array,
                "key_hash" character(64) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "CHK_api_keys_role" CHECK ("role" IN ('viewer', 'operator', 'admin')),
                CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_api_keys_key_hash" ON "api_keys" ("key_hash")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_api_keys_org" ON "api_keys" ("org_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "sites" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "org_id" uuid NOT NULL,
                "name" character varying(100) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_4f5eccb1dfde10c9170502595a7" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_sites_org" ON "sites" ("org_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "gateways" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "org_id" uuid NOT NULL,
                "site_id" uuid NOT NULL,
                "name" character varying(100),
                "status" character varying(16) NOT NULL DEFAULT 'registered',
                "version" character varying(100),
                "local_ip" character varying(64),
                "last_heartbeat_at" TIMESTAMP WITH TIME ZONE,
                "key_hash" character(64),
                "paired_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_gateways_status" CHECK (
                    "status" IN ('registered', 'online', 'offline', 'disabled')
                ),
                CONSTRAINT "PK_b53153080a6907017cf44cb7f58" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_gateways_key_hash" ON "gateways" ("key_hash")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_gateways_org_created" ON "gateways" ("org_id", "created_at", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_gateways_org_site" ON "gateways" ("org_id", "site_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "cameras" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "org_id" uuid NOT NULL,
                "site_id" uuid NOT NULL,
                "gateway_id" uuid,
                "name" character varying(100) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_88b40b9817f9f422121f861e1e8" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_cameras_gateway" ON "cameras" ("gateway_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_cameras_org_site" ON "cameras" ("org_id", "site_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "pairing_codes" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "org_id" uuid NOT NULL,
                "gateway_id" uuid NOT NULL,
                "code" character(6) NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "redeemed_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_08509f00aaa786863d624b68fb1" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_pairing_codes_gateway" ON "pairing_codes" ("gateway_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_pairing_codes_org_active" ON "pairing_codes" ("org_id", "expires_at")
            WHERE redeemed_at IS NULL
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_pairing_codes_code" ON "pairing_codes" ("code")
        `);
        await queryRunner.query(`
            CREATE TABLE "gateway_telemetry" (
                "gateway_id" uuid NOT NULL,
                "cpu_percent" double precision,
                "memory_mb" double precision,
                "camera_recording_status" jsonb NOT NULL DEFAULT '{}'::jsonb,
                "network_throughput" jsonb NOT NULL DEFAULT '{}'::jsonb,
                "reported_at" TIMESTAMP WITH TIME ZONE,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_43d16916e6612e0adf0cfb74ccf" PRIMARY KEY ("gateway_id")
            )
        `);
        await queryRunner.query(`
            ALTER TABLE "api_keys"
            ADD CONSTRAINT "FK_ba7f5748f500d24aa18041d0439" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "sites"
            ADD CONSTRAINT "FK_911cc568fcc07e82048c321319d" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "gateways"
            ADD CONSTRAINT "FK_52c1b0386123df0e7fb34169022" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "gateways"
            ADD CONSTRAINT "FK_74bb739ba6697f3c271ded9d128" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "cameras"
            ADD CONSTRAINT "FK_444ce4d676b1efda6177d4ce40e" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "cameras"
            ADD CONSTRAINT "FK_4170c8b865ed97ecf3ec0861caf" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "cameras"
            ADD CONSTRAINT "FK_68c7d2969424ed4e096cce002c1" FOREIGN KEY ("gateway_id") REFERENCES "gateways"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "pairing_codes"
            ADD CONSTRAINT "FK_90b5fdfe65c4b77770d97269572" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "pairing_codes"
            ADD CONSTRAINT "FK_56d5211c9c12fbb97afcae87105" FOREIGN KEY ("gateway_id") REFERENCES "gateways"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "gateway_telemetry"
            ADD CONSTRAINT "FK_43d16916e6612e0adf0cfb74ccf" FOREIGN KEY ("gateway_id") REFERENCES "gateways"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "gateway_telemetry" DROP CONSTRAINT "FK_43d16916e6612e0adf0cfb74ccf"
        `);
        await queryRunner.query(`
            ALTER TABLE "pairing_codes" DROP CONSTRAINT "FK_56d5211c9c12fbb97afcae87105"
        `);
        await queryRunner.query(`
            ALTER TABLE "pairing_codes" DROP CONSTRAINT "FK_90b5fdfe65c4b77770d97269572"
        `);
        await queryRunner.query(`
            ALTER TABLE "cameras" DROP CONSTRAINT "FK_68c7d2969424ed4e096cce002c1"
        `);
        await queryRunner.query(`
            ALTER TABLE "cameras" DROP CONSTRAINT "FK_4170c8b865ed97ecf3ec0861caf"
        `);
        await queryRunner.query(`
            ALTER TABLE "cameras" DROP CONSTRAINT "FK_444ce4d676b1efda6177d4ce40e"
        `);
        await queryRunner.query(`
            ALTER TABLE "gateways" DROP CONSTRAINT "FK_74bb739ba6697f3c271ded9d128"
        `);
        await queryRunner.query(`
            ALTER TABLE "gateways" DROP CONSTRAINT "FK_52c1b0386123df0e7fb34169022"
        `);
        await queryRunner.query(`
            ALTER TABLE "sites" DROP CONSTRAINT "FK_911cc568fcc07e82048c321319d"
        `);
        await queryRunner.query(`
            ALTER TABLE "api_keys" DROP CONSTRAINT "FK_ba7f5748f500d24aa18041d0439"
        `);
        await queryRunner.query(`
            DROP TABLE "gateway_telemetry"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_pairing_codes_code"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_pairing_codes_org_active"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_pairing_codes_gateway"
        `);
        await queryRunner.query(`
            DROP TABLE "pairing_codes"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_cameras_org_site"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_cameras_gateway"
        `);
        await queryRunner.query(`
            DROP TABLE "cameras"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_gateways_org_site"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_gateways_org_created"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_gateways_key_hash"
        `);
        await queryRunner.query(`
            DROP TABLE "gateways"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_sites_org"
        `);
        await queryRunner.query(`
            DROP TABLE "sites"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_api_keys_org"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_api_keys_key_hash"
        `);
        await queryRunner.query(`
            DROP TABLE "api_keys"
        `);
        await queryRunner.query(`
            DROP TABLE "orgs"
        `);
    }

}
