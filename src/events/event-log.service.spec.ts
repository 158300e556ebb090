import { ConsoleLogger, Logger } from '@nestjs/common';
import type { AuthContext } from '../auth/auth-context';
import { loadConfig } from '../config/config';
import type { Transactions } from '../database/transactions';
import type { EventLogRepository, EventRow } from './event-log.repository';
import { EventLogService } from './event-log.service';

const orgWide: AuthContext = { orgId: 'org-1', keyId: 'k', role: 'viewer', siteIds: null };
const scoped: AuthContext = { orgId: 'org-1', keyId: 'k', role: 'viewer', siteIds: ['site-a'] };

function event(seq: number): EventRow {
  return { id: `e${seq}`, seq: String(seq), type: 'gateway.online', occurred_at: '2026-04-21T14:20:04Z', org_id: 'org-1', site_id: 'site-a', gateway_id: 'gw', data: {} };
}

function setup(env: Record<string, string> = {}) {
  const events = {
    sequenceBatch: jest.fn(async (): Promise<number | null> => 0),
    purgeBatch: jest.fn(async () => 0),
    list: jest.fn(async () => ({ events: [] as EventRow[], head: '0' })),
  };
  const transactions = { run: jest.fn((work: (m: unknown) => Promise<unknown>) => work('manager')) };
  const service = new EventLogService(events as unknown as EventLogRepository, transactions as unknown as Transactions, loadConfig(env));
  return { service, events, transactions };
}

describe('EventLogService', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new ConsoleLogger()));

  describe('sequence', () => {
    it('numbers in transactions until a batch comes back short', async () => {
      const { service, events, transactions } = setup();
      events.sequenceBatch.mockResolvedValueOnce(5000).mockResolvedValueOnce(5000).mockResolvedValueOnce(12);
      await expect(service.sequence()).resolves.toBe(10012);
      expect(events.sequenceBatch).toHaveBeenCalledTimes(3);
      expect(events.sequenceBatch).toHaveBeenCalledWith(5000, 'manager');
      expect(transactions.run).toHaveBeenCalledTimes(3);
    });

    it('stops at once when another instance holds the head (null)', async () => {
      const { service, events } = setup();
      events.sequenceBatch.mockResolvedValueOnce(null);
      await expect(service.sequence()).resolves.toBe(0);
      expect(events.sequenceBatch).toHaveBeenCalledTimes(1);
    });

    it('numbers at most 20 batches a run, leaving a backlog to the next', async () => {
      const { service, events } = setup();
      events.sequenceBatch.mockResolvedValue(5000);
      await expect(service.sequence()).resolves.toBe(100_000);
      expect(events.sequenceBatch).toHaveBeenCalledTimes(20);
    });
  });

  describe('purge', () => {
    it('deletes in batches of EVENTS_PURGE_BATCH with the retention, until a short batch', async () => {
      const { service, events } = setup({ EVENTS_PURGE_BATCH: '10', EVENTS_RETENTION_DAYS: '30' });
      events.purgeBatch.mockResolvedValueOnce(10).mockResolvedValueOnce(3);
      await expect(service.purge()).resolves.toBe(13);
      expect(events.purgeBatch.mock.calls).toEqual([[30, 10], [30, 10]]);
    });

    it('deletes at most 100 batches a run', async () => {
      const { service, events } = setup({ EVENTS_PURGE_BATCH: '10' });
      events.purgeBatch.mockResolvedValue(10);
      await expect(service.purge()).resolves.toBe(1000);
      expect(events.purgeBatch).toHaveBeenCalledTimes(100);
    });
  });

  describe('list', () => {
    it('a full page continues after its last event', async () => {
      const { service, events } = setup();
      events.list.mockResolvedValueOnce({ events: [event(7), event(9)], head: '40' });
      const page = await service.list(orgWide, { limit: 2, after: '3' });
      expect(page).toEqual({ data: [{ ...event(7), seq: 7 }, { ...event(9), seq: 9 }], next_cursor: '9' });
      expect(events.list).toHaveBeenCalledWith(expect.objectContaining({ orgId: 'org-1', siteIds: null, after: '3', limit: 2, retentionDays: 90 }));
    });

    it('a page that is not full continues after the head it was read at', async () => {
      const { service, events } = setup();
      events.list.mockResolvedValueOnce({ events: [event(7)], head: '40' });
      expect((await service.list(orgWide, { limit: 100 })).next_cursor).toBe('40');
      events.list.mockResolvedValueOnce({ events: [], head: '40' });
      // A cursor beyond the head (from another deployment, say) is kept, never moved back.
      expect((await service.list(orgWide, { limit: 100, after: '9000000000' })).next_cursor).toBe('9000000000');
    });

    it('a site the key cannot see holds nothing, without a query; a scoped key reads its sites', async () => {
      const { service, events } = setup();
      await expect(service.list(scoped, { limit: 100, site_id: 'site-b', after: '5' })).resolves.toEqual({ data: [], next_cursor: '5' });
      expect(events.list).not.toHaveBeenCalled();
      await service.list(scoped, { limit: 100, type: ['gateway.offline'], since: '2026-04-21T00:00:00Z' });
      expect(events.list).toHaveBeenCalledWith(expect.objectContaining({ siteIds: ['site-a'], types: ['gateway.offline'], since: new Date('2026-04-21T00:00:00Z'), after: '0' }));
    });
  });
});
