import { bearer } from './factories';
import type { TestApp } from './test-app';

export interface ApiEvent {
  id: string;
  seq: number;
  type: string;
  occurred_at: string;
  org_id: string;
  site_id: string;
  gateway_id: string;
  data: Record<string, any>;
}

/** Walks GET /api/v1/events with `after` from `cursor` to the end; returns the events and the last cursor. */
export async function walkEvents(t: TestApp, query: Record<string, string> = {}, key = t.adminKey, cursor?: string): Promise<{ events: ApiEvent[]; cursor: string }> {
  const events: ApiEvent[] = [];
  let after = cursor;
  for (;;) {
    const params = new URLSearchParams({ ...query, limit: query.limit ?? '1000', ...(after ? { after } : {}) });
    const res = await t.http().get(`/api/v1/events?${params}`).set(bearer(key));
    if (res.status !== 200) throw new Error(`events: ${res.status} ${JSON.stringify(res.body)}`);
    events.push(...res.body.data);
    const done = res.body.data.length < Number(params.get('limit'));
    after = res.body.next_cursor;
    if (done) return { events, cursor: after! };
  }
}

/** Inserts an event behind the API's back, as a trigger would, at a chosen time (seconds since the epoch). */
export async function seedEvent(
  t: TestApp,
  e: { type: string; at: number; gatewayId: string; siteId?: string; orgId?: string; cameraId?: string; data?: Record<string, unknown> },
): Promise<void> {
  await t.dataSource.query(
    `INSERT INTO gateway_events (type, occurred_at, org_id, site_id, gateway_id, camera_id, data) VALUES ($1, to_timestamp($2), $3, $4, $5, $6, $7)`,
    [e.type, e.at, e.orgId ?? t.orgId, e.siteId ?? t.siteId, e.gatewayId, e.cameraId ?? null, JSON.stringify(e.data ?? {})],
  );
}

export const iso = (s: number) => new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
