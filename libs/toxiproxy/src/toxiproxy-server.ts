import { createMetricsRegistry } from '@zonemesh/telemetry';
import type { Registry } from 'prom-client';
import { ApiServer } from './api/api-server.js';
import type { ProxyConfig } from './proxy/proxy-config.js';
import { ProxyManager } from './proxy/proxy-manager.js';
import { listenGuard } from './proxy/listen-guard.js';
import { validateProxyLimits, type ProxyLimits } from './proxy/proxy-limits.js';
import { parsePopulateConfig } from './populate-file.js';
import { registerToxiproxyMetrics } from './toxiproxy-metrics.js';

/** Options of the embedded server; defaults match toxiproxy-server's. */
export interface ToxiproxyServerOptions {
  /** Admin API host, default 127.0.0.1. */
  host?: string;
  /** Admin API port, default 8474; 0 picks a free port. */
  port?: number;
  /** Proxies to create before the API starts (like `-config`). */
  populate?: ProxyConfig[];
  /**
   * Registry for the proxy metrics served at GET /metrics; default a new one
   * labelled service=toxiproxy, zone=shared, instance=toxiproxy.
   */
  metrics?: Registry;
  /**
   * Let proxies listen on wildcard or non-loopback addresses other than
   * `host` (default false: a proxy is a relay into the mesh).
   */
  allowRemoteListen?: boolean;
  /**
   * Per-proxy bounds (not in the Toxiproxy API): open client connections
   * (default 10,000; beyond, a new client is closed at once) and how long a
   * dial to the upstream may take (default 10 s; then the client is closed).
   * Both are counted in zonemesh_toxiproxy_refused_connections_total.
   */
  limits?: Partial<ProxyLimits>;
}

/** A running embedded Toxiproxy. */
export interface ToxiproxyServer {
  /** Base URL of the admin API, e.g. `http://127.0.0.1:8474`. */
  readonly url: string;
  readonly port: number;
  /** Stop every proxy (closing their connections) and the API. */
  close(): Promise<void>;
}

/**
 * Start a Toxiproxy-compatible server in this process. Populate entries are
 * validated first; if any fails to apply, everything started is stopped and
 * the promise rejects with the entry and reason.
 */
export async function startToxiproxyServer(options: ToxiproxyServerOptions = {}): Promise<ToxiproxyServer> {
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 8474;
  const manager = new ProxyManager(listenGuard(host, options.allowRemoteListen ?? false), validateProxyLimits(options.limits ?? {}, 'limits'));
  if (options.populate) {
    const configs = parsePopulateConfig(options.populate, 'populate');
    const result = await manager.populate(configs);
    if (result.error) {
      await manager.clear();
      const failed = configs[result.proxies.length];
      throw new Error(`populate[${result.proxies.length}] (${failed.name}): ${result.error.message}`);
    }
  }
  const metrics = options.metrics ?? createMetricsRegistry({ service: 'toxiproxy', zone: 'shared', instance: 'toxiproxy' });
  registerToxiproxyMetrics(metrics, manager);
  const api = new ApiServer(manager, metrics);
  let port: number;
  try {
    port = await api.listen(host, requestedPort);
  } catch (error) {
    await manager.clear();
    throw new Error(`toxiproxy API cannot listen on ${host}:${requestedPort}: ${(error as Error).message}`);
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () => (closing ??= Promise.all([api.close(), manager.clear()]).then(() => undefined)),
  };
}
