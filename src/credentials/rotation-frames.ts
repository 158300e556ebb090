import { isUuid } from '../common/uuid';
import { isObject, Validated } from '../common/validated';

/** What a gateway declares in its `session` to be sent key rotations (v1.3). */
export const CREDENTIALS_CAPABILITY = 'credentials.v1';

/** `rotate_key_ack {rotation_id}`: the gateway stored the key of that rotation. */
export interface RotateKeyAck {
  rotation_id: string;
}

export function validateRotateKeyAck(data: unknown): Validated<RotateKeyAck> {
  if (!isObject(data)) return { ok: false, details: [{ field: 'data', message: 'must be an object' }] };
  const details = Object.keys(data)
    .filter((k) => k !== 'rotation_id')
    .map((k) => ({ field: k.slice(0, 64), message: 'unknown field' }));
  if (typeof data.rotation_id !== 'string' || !isUuid(data.rotation_id)) details.push({ field: 'rotation_id', message: 'must be a uuid' });
  if (details.length) return { ok: false, details };
  return { ok: true, value: { rotation_id: (data.rotation_id as string).toLowerCase() } };
}
