import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { GATEWAY_KEY_PREFIX, hashKey, newKey } from '../auth/key-hash';
import { type FrameLink, newerConnection } from '../common/frame-link';
import { InstanceIdentity } from '../common/instance-identity';
import { PeriodicTask } from '../common/periodic-task';
import { Metrics } from '../metrics/metrics';
import { SignalBus } from '../signals/signal-bus';
import { KeyIssue, KeyRotationsRepository } from './key-rotations.repository';
import { CREDENTIALS_CAPABILITY, RotateKeyAck } from './rotation-frames';

/** How often each instance looks for rotations of gateways it holds that were not sent on their connection: heals a lost signal. */
export const ROTATION_POLL_MS = 10_000;
const MAX_PER_STATEMENT = 1_000;

/** A connection that declared credentials.v1, and the key it authenticated with. */
export interface RotationTarget {
  link: FrameLink;
  keyId: string;
}

/**
 * Sends key rotations to the gateways whose sockets this instance holds (v1.3). A gateway is a
 * target once its `session` declares `credentials.v1`. A rotation not finished is sent to the
 * gateway's current connection — after its session, on a `credentials.rotate` signal from any
 * instance, after a resync, and by a poll every 10 s — once per connection, and not to a
 * connection that already uses the rotation's pending key. Each sending draws a new key, which replaces the one sent before as the
 * rotation's pending key in the same statement (only its hash is stored) and is then sent as
 * `rotate_key {rotation_id, api_key}`: a key never reaches the gateway before it works, and an
 * instance dying after that statement leaves the gateway's current key working and the rotation
 * to be sent again on its next connection. The first connection with the pending key completes
 * the rotation (in the connection claim). `rotate_key_ack` marks the rotation acknowledged when
 * it names the key sent on that connection.
 */
@Injectable()
export class KeyRotationDelivery implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(KeyRotationDelivery.name);
  private readonly targets = new Map<string, RotationTarget>();
  private readonly due = new Set<string>();
  private readonly sends: PeriodicTask;
  private lastPoll = 0;

  constructor(
    private readonly rotations: KeyRotationsRepository,
    private readonly bus: SignalBus,
    private readonly instance: InstanceIdentity,
    private readonly metrics: Metrics,
  ) {
    this.sends = new PeriodicTask('key rotation delivery', ROTATION_POLL_MS, () => this.send(), this.logger);
  }

  onModuleInit(): void {
    this.bus.subscribe((signal) => {
      if (signal.type !== 'credentials.rotate') return;
      const local = signal.gatewayIds.filter((id) => this.targets.has(id));
      local.forEach((id) => this.due.add(id));
      if (local.length) void this.sends.runNow();
    });
    this.bus.onResync(() => {
      this.targets.forEach((_t, id) => this.due.add(id));
      return this.sends.runNow();
    });
    this.sends.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sends.stop();
  }

  /** A `session` frame: a connection that declared credentials.v1 is sent the gateway's unfinished rotation, if any. */
  sessionStarted(target: RotationTarget, session: { capabilities: string[] }): void {
    const { link } = target;
    const current = this.targets.get(link.gatewayId);
    if (current && current.link !== link && newerConnection(current.link.seq, link.seq)) return;
    if (!session.capabilities.includes(CREDENTIALS_CAPABILITY)) return this.detached(link);
    this.targets.set(link.gatewayId, target);
    this.due.add(link.gatewayId);
    void this.sends.runNow();
  }

  detached(link: FrameLink): void {
    if (this.targets.get(link.gatewayId)?.link !== link) return;
    this.targets.delete(link.gatewayId);
    this.due.delete(link.gatewayId);
  }

  /** `rotate_key_ack`: recorded when it answers the key sent on this connection; a late or repeated ack changes nothing. */
  acknowledged(link: FrameLink, ack: RotateKeyAck): void {
    void this.rotations.acknowledge(ack.rotation_id, link.gatewayId, link.seq).then(
      (counted) => counted && this.logger.log(`gateway ${link.gatewayId} stored the key of rotation ${ack.rotation_id}`),
      (e: unknown) => this.logger.warn(`could not record the ack of rotation ${ack.rotation_id} of gateway ${link.gatewayId}: ${e instanceof Error ? e.message : String(e)}`),
    );
  }

  private async send(): Promise<void> {
    if (Date.now() - this.lastPoll >= ROTATION_POLL_MS && this.targets.size > 0) {
      this.lastPoll = Date.now();
      for (const id of await this.rotations.unsentHere(this.instance.id)) if (this.targets.has(id)) this.due.add(id);
    }
    if (this.due.size === 0) return;
    const batch = [...this.due].slice(0, MAX_PER_STATEMENT);
    batch.forEach((id) => this.due.delete(id));
    try {
      await this.sendTo(batch);
    } catch (e) {
      batch.forEach((id) => this.targets.has(id) && this.due.add(id));
      throw e;
    }
    if (this.due.size > 0) void this.sends.runNow();
  }

  private async sendTo(gatewayIds: string[]): Promise<void> {
    const keys = new Map<string, { apiKey: string; link: FrameLink }>();
    const issues: KeyIssue[] = [];
    for (const rotation of await this.rotations.unfinishedOf(gatewayIds)) {
      const target = this.targets.get(rotation.gateway_id);
      if (!target) continue;
      // Already connected with the key sent: the claim of that connection completed the rotation, or will.
      if (rotation.pending_key_id !== null && rotation.pending_key_id === target.keyId) continue;
      // Sent on this connection already (a resync looks at every target): drawing again would
      // only replace a key the gateway may be connecting with right now.
      if (rotation.sent_seq === target.link.seq) continue;
      const apiKey = newKey(GATEWAY_KEY_PREFIX);
      keys.set(rotation.id, { apiKey, link: target.link });
      issues.push({ rotationId: rotation.id, gatewayId: rotation.gateway_id, seq: target.link.seq, keyHash: hashKey(apiKey) });
    }
    if (issues.length === 0) return;
    for (const issued of await this.rotations.issue(issues)) {
      const drawn = keys.get(issued.id);
      // Sent only on the connection it was issued for; a connection gone meanwhile gets a new key on the next one.
      if (!drawn || this.targets.get(issued.gateway_id)?.link !== drawn.link) continue;
      drawn.link.send('rotate_key', { rotation_id: issued.id, api_key: drawn.apiKey });
      this.metrics.keysSent.inc();
      this.logger.log(`gateway ${issued.gateway_id}: key of rotation ${issued.id} sent (connection ${drawn.link.seq})`);
    }
  }
}
