#!/usr/bin/env node
/**
 * Test vectors for novavms.verify_webhook, made with the npm `standardwebhooks` package that the
 * service signs with (resolved from the repository's node_modules):
 *
 *   node sdk/python/scripts/webhook_vectors.cjs > sdk/python/tests/fixtures/webhook_vectors.json
 *
 * Each vector is a delivery (headers, raw body), the secrets a receiver holds, the receiver's
 * clock, and what standardwebhooks' own verify() says of it: valid (and the payload) or not.
 * Everything is fixed, so the output is the same on every run.
 */
'use strict';
const { createRequire } = require('node:module');
const { join } = require('node:path');

const repoRoot = join(__dirname, '..', '..', '..');
const { Webhook } = createRequire(join(repoRoot, 'package.json'))('standardwebhooks');

const secretOf = (seed) => `whsec_${Buffer.from(Array.from({ length: 24 }, (_, i) => (seed * 31 + i * 7) % 256)).toString('base64')}`;
const OLD = secretOf(1);
const NEW = secretOf(2);
const OTHER = secretOf(3);
const TS = 1776781234;
const ID = '0b8f3e2a-6c1d-4f7e-9a5b-3c2d1e0f9a8b';
const EVENT = JSON.stringify({
  id: ID,
  seq: 1043,
  type: 'gateway.offline',
  occurred_at: '2026-04-21T14:20:34Z',
  org_id: '6c1e8d2f-3a4b-4c5d-9e6f-7a8b9c0d1e2f',
  site_id: 'b5e9f3a1-2c4d-4e6f-8a1b-3c5d7e9f1a2b',
  gateway_id: '8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c',
  data: { previous_status: 'online', reason: 'heartbeat_timeout' },
});
const UNICODE = JSON.stringify({ id: ID, type: 'gateway.updated', data: { changes: { name: { from: 'Warehouse A', to: 'Acme Logistics — Entrepôt B' } } } });

const sign = (secret, id, ts, body) => new Webhook(secret).sign(id, new Date(ts * 1000), body);
const headers = (id, ts, signature) => ({ 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signature });

/** What standardwebhooks says, on a clock stopped at `now`, for a receiver holding `secrets`. */
function verdict(secrets, hdrs, body, now) {
  const realNow = Date.now;
  Date.now = () => now * 1000;
  try {
    for (const secret of secrets) {
      try {
        return { valid: true, payload: new Webhook(secret).verify(body, hdrs) };
      } catch {
        // try the next secret
      }
    }
    return { valid: false, payload: null };
  } finally {
    Date.now = realNow;
  }
}

const signed = sign(NEW, ID, TS, EVENT);
const cases = [
  ['signed with the secret', [NEW], headers(ID, TS, signed), EVENT, TS],
  ['non-ASCII body', [NEW], headers(ID, TS, sign(NEW, ID, TS, UNICODE)), UNICODE, TS],
  ['rotation: both sign, the new secret verifies', [NEW], headers(ID, TS, `${sign(OLD, ID, TS, EVENT)} ${signed}`), EVENT, TS],
  ['rotation: both sign, the previous secret verifies', [OLD], headers(ID, TS, `${sign(OLD, ID, TS, EVENT)} ${signed}`), EVENT, TS],
  ['rotation: the receiver holds both, signed with the previous', [NEW, OLD], headers(ID, TS, sign(OLD, ID, TS, EVENT)), EVENT, TS],
  ['rotation: neither secret is the receiver\'s', [OTHER], headers(ID, TS, `${sign(OLD, ID, TS, EVENT)} ${signed}`), EVENT, TS],
  ['another secret', [OTHER], headers(ID, TS, signed), EVENT, TS],
  ['body changed', [NEW], headers(ID, TS, signed), EVENT.replace('heartbeat_timeout', 'closed_by_gateway'), TS],
  ['webhook-id changed', [NEW], headers('7e2b4d6f-8a1c-4e3b-9d5f-2c4e6a8b0d1f', TS, signed), EVENT, TS],
  ['webhook-timestamp changed', [NEW], headers(ID, TS + 1, signed), EVENT, TS],
  ['5 minutes old', [NEW], headers(ID, TS, signed), EVENT, TS + 300],
  ['more than 5 minutes old', [NEW], headers(ID, TS, signed), EVENT, TS + 301],
  ['5 minutes ahead', [NEW], headers(ID, TS, signed), EVENT, TS - 300],
  ['more than 5 minutes ahead', [NEW], headers(ID, TS, signed), EVENT, TS - 301],
  ['timestamp not a number', [NEW], headers(ID, 'soon', signed), EVENT, TS],
  ['no webhook-signature', [NEW], { 'webhook-id': ID, 'webhook-timestamp': String(TS) }, EVENT, TS],
  ['no webhook-id', [NEW], { 'webhook-timestamp': String(TS), 'webhook-signature': signed }, EVENT, TS],
  ['an unknown signature version only', [NEW], headers(ID, TS, signed.replace('v1,', 'v2,')), EVENT, TS],
  ['an unknown version beside a valid one', [NEW], headers(ID, TS, `v2,abc ${signed}`), EVENT, TS],
  [
    'header names in any case',
    [NEW],
    { 'Webhook-Id': ID, 'WEBHOOK-TIMESTAMP': String(TS), 'Webhook-Signature': signed },
    EVENT,
    TS,
  ],
  ['secret without the whsec_ prefix', [NEW.slice('whsec_'.length)], headers(ID, TS, signed), EVENT, TS],
];

const vectors = cases.map(([name, secrets, hdrs, body, now]) => ({ name, secrets, headers: hdrs, body, now, ...verdict(secrets, hdrs, body, now) }));
process.stdout.write(`${JSON.stringify({ generator: 'standardwebhooks', tolerance_s: 300, vectors }, null, 2)}\n`);
