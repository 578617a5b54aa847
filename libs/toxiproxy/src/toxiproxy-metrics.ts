import { Counter, Gauge, type Registry } from 'prom-client';
import type { ProxyManager } from './proxy/proxy-manager.js';

/**
 * The fault proxy's own metrics, read from the proxies at scrape time:
 * - zonemesh_toxiproxy_bytes_total{proxy,direction}: bytes forwarded; direction
 *   is `upstream` (client -> service) or `downstream` (service -> client)
 * - zonemesh_toxiproxy_active_toxics{proxy}: toxics currently installed
 * - zonemesh_toxiproxy_connections{proxy}: client connections open now
 * - zonemesh_toxiproxy_proxy_enabled{proxy}: 0 while a proxy is disabled (a killed instance)
 * - zonemesh_toxiproxy_pass_through_links{proxy,direction}: open connections
 *   whose bytes in that direction go socket to socket, with no toxic between
 *   (the fast path; a toxic in the direction takes them off it until removed)
 * - zonemesh_toxiproxy_refused_connections_total{proxy,reason}: clients closed
 *   without being forwarded: `connection_cap` (the proxy already had
 *   maxConnections open) or `upstream_connect_timeout` (the upstream did not
 *   answer the TCP handshake in time)
 * - toxiproxy_proxy_sent_bytes_total{direction,listener,proxy,upstream}: the
 *   same bytes under the real Toxiproxy's name and labels (its -proxy-metrics),
 *   so a dashboard panel built on it works against either server. Its twin
 *   toxiproxy_proxy_received_bytes_total is not exported: the links count
 *   what they deliver, not what they read before the toxics.
 * Labels are bounded by the topology (one proxy per instance).
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
  new Counter({
    name: 'toxiproxy_proxy_sent_bytes_total',
    help: 'Bytes sent by each proxy link, as the real Toxiproxy names it (direction upstream = to the service).',
    labelNames: ['direction', 'listener', 'proxy', 'upstream'],
    registers: [registry],
    collect() {
      this.reset();
      for (const proxy of manager.all()) {
        for (const direction of ['upstream', 'downstream'] as const) {
          this.inc({ direction, listener: proxy.listen, proxy: proxy.name, upstream: proxy.upstream }, proxy.bytes[direction]);
        }
      }
    },
  });
  new Counter({
    name: 'zonemesh_toxiproxy_refused_connections_total',
    help: 'Clients a proxy closed without forwarding: connection_cap (too many open) or upstream_connect_timeout.',
    labelNames: ['proxy', 'reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const proxy of manager.all()) for (const [reason, count] of Object.entries(proxy.refused)) this.inc({ proxy: proxy.name, reason }, count);
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
  new Gauge({
    name: 'zonemesh_toxiproxy_pass_through_links',
    help: 'Open connections forwarding socket to socket (no toxic) in each direction.',
    labelNames: ['proxy', 'direction'],
    registers: [registry],
    collect() {
      this.reset();
      for (const proxy of manager.all()) {
        for (const direction of ['upstream', 'downstream'] as const) this.set({ proxy: proxy.name, direction }, proxy.passThroughLinks(direction));
      }
    },
  });
  gauge('zonemesh_toxiproxy_active_toxics', 'Toxics installed on each proxy, both directions.', (p) => p.toxics.list().length);
  gauge('zonemesh_toxiproxy_connections', 'Client connections open through each proxy.', (p) => p.connectionCount);
  gauge('zonemesh_toxiproxy_proxy_enabled', '1 while the proxy listens, 0 while it is disabled.', (p) => (p.enabled ? 1 : 0));
}
