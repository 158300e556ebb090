import { MigrationInterface, QueryRunner } from "typeorm";

export class PairingGuesses1795640233455 implements MigrationInterface {
    name = 'PairingGuesses1795640233455'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "pairing_guesses" (
                "id" BIGSERIAL NOT NULL,
                "address" character varying(64) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_0ae8d32f4648211797acd68c38c" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_pairing_guesses_created" ON "pairing_guesses" ("created_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_pairing_guesses_address_created" ON "pairing_guesses" ("address", "created_at")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_pairing_guesses_address_created"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_pairing_guesses_created"
        `);
        await queryRunner.query(`
            DROP TABLE "pairing_guesses"
        `);
    }

}
