import { Counter, Gauge, type Registry } from 'prom-client';
import type { ProxyManager } from './proxy/proxy-manager.js';

/**
 * The fault proxy's own metrics, read from the proxies at scrape time:
 * - zonemesh_toxiproxy_bytes_total{proxy,direction}: bytes forwarded; direction
 *   is `upstream` (client -> service) or `downstream` (service -> client)
 * - zonemesh_toxiproxy_active_toxics{proxy}: toxics currently installed
 * - zonemesh_toxiproxy_connections{proxy}: client connections open now
 * - zonemesh_toxiproxy_proxy_enabled{proxy}: 0 while a proxy is disabled (a killed instance)
 * The real Toxiproxy's /metrics uses other names (toxiproxy_proxy_*); the
 * dashboards read these. Labels are bounded by the topology (one proxy per instance).
 */
export function registerToxiproxyMetrics(registry: Registry, manager: ProxyManager): void {
  new Counter({
    name: 'zonemesh_toxiproxy_bytes_total',
    help: 'Bytes forwarded by each proxy, by direction (upstream = client to service).',
    labelNames: ['proxy', 'direction'],
    registers: [registry],
    collect() {
      this.reset();
      for (const proxy of manager.all()) {
        this.inc({ proxy: proxy.name, direction: 'upstream' }, proxy.bytes.upstream);
        this.inc({ proxy: proxy.name, direction: 'downstream' }, proxy.bytes.downstream);
      }
    },
  });
  const gauge = (name: string, help: string, read: (proxy: ReturnType<ProxyManager['all']>[number]) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['proxy'],
      registers: [registry],
      collect() {
        this.reset();
        for (const proxy of manager.all()) this.set({ proxy: proxy.name }, read(proxy));
      },
    });
  gauge('zonemesh_toxiproxy_active_toxics', 'Toxics installed on each proxy, both directions.', (p) => p.toxics.list().length);
  gauge('zonemesh_toxiproxy_connections', 'Client connections open through each proxy.', (p) => p.connectionCount);
  gauge('zonemesh_toxiproxy_proxy_enabled', '1 while the proxy listens, 0 while it is disabled.', (p) => (p.enabled ? 1 : 0));
}
