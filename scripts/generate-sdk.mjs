#!/usr/bin/env node
/**
 * `npm run sdk`: regenerates the SDK's types (sdk/schema.ts) from the committed contract
 * openapi/openapi.json with openapi-typescript. The hand-written facade (sdk/client.ts) is typed
 * from those types and is not touched.
 *
 *   node scripts/generate-sdk.mjs [--out DIR]   (default DIR: sdk/)
 *
 * `--out` lets test/sdk.e2e-spec.ts regenerate into a temporary folder and compare.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const spec = join(root, 'openapi', 'openapi.json');

const args = process.argv.slice(2);
const outFlag = args.indexOf('--out');
const outDir = outFlag >= 0 && args[outFlag + 1] ? resolve(args[outFlag + 1]) : join(root, 'sdk');
const outFile = join(outDir, 'schema.ts');

// No Redocly config file is read (openapiTS only reads one when given), so the output depends
// on openapi/openapi.json and the pinned generator version alone.
const ast = await openapiTS(pathToFileURL(spec), { alphabetize: true });
const banner = `${COMMENT_HEADER}// Source: openapi/openapi.json. Regenerate with \`npm run sdk\`.\n\n`;
mkdirSync(outDir, { recursive: true });
writeFileSync(outFile, banner + astToString(ast));
process.stderr.write(`sdk: wrote ${relative(process.cwd(), outFile) || outFile} from openapi/openapi.json\n`);
