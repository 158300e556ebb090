import { closeCodeLabel, Metrics } from './metrics';

describe('Metrics', () => {
  const read = async (m: Metrics, name: string) => (await m.registry.getSingleMetric(name)!.get()).values[0]?.value;

  it('reads a sampled gauge from its source when scraped; a failing or silent source reads NaN, and the scrape does not wait for it', async () => {
    const m = new Metrics();
    let connected = 3;
    m.sample(m.gatewaysConnected, () => connected);
    expect(await read(m, 'novavms_gateways_connected')).toBe(3);
    connected = 5;
    expect(await read(m, 'novavms_gateways_connected')).toBe(5);
    m.sample(m.webhookQueueDepth, async () => {
      throw new Error('connection refused');
    });
    expect(await read(m, 'novavms_webhook_queue_depth')).toBeNaN();
    m.sample(m.webhookLag, () => new Promise<number>(() => undefined));
    const started = Date.now();
    const text = await m.registry.metrics();
    expect(Date.now() - started).toBeLessThan(3000);
    // prom-client writes NaN as "Nan" (Prometheus reads either).
    expect(text).toMatch(/^novavms_webhook_delivery_lag_seconds nan$/im);
    expect(text).toContain('novavms_gateways_connected 5');
  });

  it('keeps close codes a peer chooses out of the label values', () => {
    expect([1000, 1006, 4409].map(closeCodeLabel)).toEqual(['1000', '1006', '4409']);
    expect([3000, 4999, 1234].map(closeCodeLabel)).toEqual(['other', 'other', 'other']);
  });
});
