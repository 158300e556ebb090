#!/usr/bin/env node
/**
 * A paired gateway for the tests: connects its WebSocket (with the repository's `ws` package),
 * sends one telemetry frame (also a heartbeat) after `hello`, prints "connected", and keeps the
 * socket open until its standard input closes; then it closes the socket itself, as a gateway
 * that shuts down does, and exits.
 *
 *   node gateway_ws.cjs <base url> <gateway id> <gw_ key> <telemetry data as JSON> \
 *     [<session data as JSON, or null> [<answers as JSON>]]
 *
 * With session data, a `session` frame (v1.3) goes before the telemetry. Answers map a command
 * type to the `command_result` data (`{status, result}` or `{status, error}`, without the id) the
 * gateway reports for a `command` of that type, after acknowledging it `accepted`; a command of
 * any other type is left unanswered (it stays `sent`). A session that declares `config.v1` makes
 * the gateway apply every `config` frame it is sent: it reports it `applied`, with the desired
 * document as what it runs now.
 */
'use strict';
const { createRequire } = require('node:module');
const { join } = require('node:path');

const WebSocket = createRequire(join(__dirname, '..', '..', '..', '..', 'package.json'))('ws');
const [baseUrl, gatewayId, key, telemetry, session = 'null', answers = '{}'] = process.argv.slice(2);
const sessionData = JSON.parse(session);
const answerOf = JSON.parse(answers);
const appliesConfig = Boolean(sessionData && (sessionData.capabilities || []).includes('config.v1'));
const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/v1/gateways/${gatewayId}/ws`, {
  headers: { Authorization: `Bearer ${key}` },
  perMessageDeflate: false,
});
ws.on('unexpected-response', (_req, res) => {
  process.stderr.write(`upgrade refused: ${res.statusCode}\n`);
  process.exit(2);
});
ws.on('error', (e) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(2);
});
ws.on('message', (raw) => {
  const frame = JSON.parse(raw.toString());
  if (frame.event === 'hello') {
    if (sessionData) ws.send(JSON.stringify({ event: 'session', data: sessionData }));
    ws.send(JSON.stringify({ event: 'telemetry', data: JSON.parse(telemetry) }));
    process.stdout.write('connected\n');
  } else if (frame.event === 'command') {
    const answer = answerOf[frame.data.type];
    if (answer) {
      ws.send(JSON.stringify({ event: 'command_ack', data: { id: frame.data.id, status: 'accepted' } }));
      ws.send(JSON.stringify({ event: 'command_result', data: { id: frame.data.id, ...answer } }));
    }
  } else if (frame.event === 'config' && appliesConfig) {
    const { version, desired } = frame.data;
    ws.send(JSON.stringify({ event: 'config_report', data: { version, status: 'applied', reported: desired } }));
  } else if (frame.event === 'error') {
    process.stderr.write(`${raw}\n`);
  }
});
ws.on('close', (code) => {
  process.stdout.write(`closed ${code}\n`);
  process.exit(0);
});
process.stdin.on('end', () => ws.close(1000));
process.stdin.resume();
