import type { IngestWatermark } from '../telemetry/ingest-watermarks.repository';
import { judgeHolders } from './liveness-rules';

const SELF = 'self';
const OFFLINE_AFTER_S = 30;
const OWN_FRESH_S = 2;
const at = new Date('2026-04-21T14:00:00Z');

function mark(id: string, flushedAgeS: number, availableAgeS: number): IngestWatermark {
  return { id, flushedThrough: new Date(at.getTime() - flushedAgeS * 1000), flushedAgeS, availableAgeS };
}

describe('judgeHolders', () => {
  it('does not judge without a watermark of this instance', () => {
    expect(judgeHolders([mark('other', 100, 100)], SELF, OFFLINE_AFTER_S, OWN_FRESH_S)).toBeUndefined();
    expect(judgeHolders([], SELF, OFFLINE_AFTER_S, OWN_FRESH_S)).toBeUndefined();
  });

  it('does not judge when its own watermark is older than ownFreshS', () => {
    expect(judgeHolders([mark(SELF, 2.5, 500), mark('other', 100, 100)], SELF, OFFLINE_AFTER_S, OWN_FRESH_S)).toBeUndefined();
  });

  it('judges at exactly ownFreshS', () => {
    expect(judgeHolders([mark(SELF, 2, 500)], SELF, OFFLINE_AFTER_S, OWN_FRESH_S)).toHaveLength(1);
  });

  it('a holder silent longer than OFFLINE_AFTER_S while the judge was available all along is dead', () => {
    const other = mark('other', 31, 0);
    const holders = judgeHolders([mark(SELF, 0.5, 3600), other], SELF, OFFLINE_AFTER_S, OWN_FRESH_S);
    expect(holders).toEqual([
      { id: SELF, flushedThrough: expect.any(Date), dead: false },
      { id: 'other', flushedThrough: other.flushedThrough, dead: true },
    ]);
  });

  it('a holder that wrote within OFFLINE_AFTER_S is alive, and exactly OFFLINE_AFTER_S is not yet dead', () => {
    const holders = judgeHolders([mark(SELF, 0.5, 3600), mark('recent', 29, 0), mark('edge', 30, 0)], SELF, OFFLINE_AFTER_S, OWN_FRESH_S);
    expect(holders?.map((h) => [h.id, h.dead])).toEqual([[SELF, false], ['recent', false], ['edge', false]]);
  });

  it('after an outage of the judge (its availability is young) nobody is dead, however old their watermarks', () => {
    const holders = judgeHolders([mark(SELF, 0.5, 5), mark('stale', 900, 900)], SELF, OFFLINE_AFTER_S, OWN_FRESH_S);
    expect(holders?.find((h) => h.id === 'stale')?.dead).toBe(false);
  });

  it('passes each holder flushedThrough on unchanged', () => {
    const other = mark('other', 12, 12);
    const holders = judgeHolders([mark(SELF, 0, 100), other], SELF, OFFLINE_AFTER_S, OWN_FRESH_S);
    expect(holders?.[1].flushedThrough).toBe(other.flushedThrough);
  });
});
