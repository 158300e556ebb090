#!/usr/bin/env node
/**
 * Runs one SQL statement for the tests (with the repository's `pg` package) and prints the rows
 * as JSON: node sql.cjs <database url> <sql> [<parameters as a JSON array>]
 */
'use strict';
const { createRequire } = require('node:module');
const { join } = require('node:path');

const { Client } = createRequire(join(__dirname, '..', '..', '..', '..', 'package.json'))('pg');
const [url, sql, params] = process.argv.slice(2);
const client = new Client({ connectionString: url });
client
  .connect()
  .then(() => client.query(sql, params ? JSON.parse(params) : []))
  .then(
    async (result) => {
      process.stdout.write(`${JSON.stringify(result.rows ?? [])}\n`);
      await client.end();
    },
    async (e) => {
      process.stderr.write(`${e.message}\n`);
      await client.end().catch(() => undefined);
      process.exit(1);
    },
  );
