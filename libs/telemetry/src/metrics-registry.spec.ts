import { describe, expect, it } from 'vitest';
import { createHttpServerMetrics } from './http-metrics.js';
import { createMetricsRegistry } from './metrics-registry.js';

describe('metrics registry', () => {
  it('labels every series with the process identity and keeps registries apart', async () => {
    const a = createMetricsRegistry({ service: 'gateway', zone: 'zone-a', instance: 'gateway-zone-a-1' });
    const b = createMetricsRegistry({ service: 'catalog', zone: 'zone-b', instance: 'catalog-zone-b-1' });
    createHttpServerMetrics(a).observe('/api/products/:id', 'GET', 200, 0.012);
    const text = await a.metrics();
    expect(text).toMatch(
      /zonemesh_http_server_requests_total\{route="\/api\/products\/:id",method="GET",code="200",service="gateway",zone="zone-a",instance="gateway-zone-a-1"\} 1/,
    );
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(await b.metrics()).not.toContain('zonemesh_http_server_requests_total{');
  });
});
