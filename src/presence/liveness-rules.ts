import type { ConnectionHolder } from '../gateways/gateways.repository';
import type { IngestWatermark } from '../telemetry/ingest-watermarks.repository';

/**
 * How this instance judges the instances that hold gateway connections, from their ingest
 * watermarks (how far each one's writes of frames have got), before the liveness sweep:
 * - it judges only while its own writes are current (its watermark younger than `ownFreshS`);
 *   after an outage every watermark is behind, and nobody judges before catching up;
 * - a holder is dead when it has written nothing for OFFLINE_AFTER_S while this instance could
 *   reach the database all along: min(age of its watermark, age of our unbroken availability).
 * A live holder's watermark tells the sweep how long it has heard nothing from each gateway.
 * Returns undefined when this instance may not judge.
 */
export function judgeHolders(watermarks: IngestWatermark[], selfId: string, offlineAfterS: number, ownFreshS: number): ConnectionHolder[] | undefined {
  const self = watermarks.find((w) => w.id === selfId);
  if (!self || self.flushedAgeS > ownFreshS) return undefined;
  return watermarks.map((h) => ({ id: h.id, flushedThrough: h.flushedThrough, dead: Math.min(h.flushedAgeS, self.availableAgeS) > offlineAfterS }));
}
