/**
 * Bounds of every proxy of a server (not part of the Toxiproxy API: the
 * proxies' JSON is unchanged). Defaults are generous: a mesh proxies one
 * instance per proxy, and even the 50k-instance registry bench talks to a
 * registry proxy over a pool of keep-alive connections, not one per instance.
 */
export interface ProxyLimits {
  /** Client connections one proxy keeps open at once; beyond, a new client is closed at once and counted. */
  readonly maxConnections: number;
  /** A dial to the upstream that has not connected by then is abandoned and the client closed (Toxiproxy would wait for the OS, minutes). */
  readonly upstreamConnectTimeoutMs: number;
}

export const DEFAULT_PROXY_LIMITS: ProxyLimits = { maxConnections: 10_000, upstreamConnectTimeoutMs: 10_000 };

/** Why a proxy closed a client without forwarding anything. */
export type RefusalReason = 'connection_cap' | 'upstream_connect_timeout';

/** A path-qualified error for a bad limit (server option, CLI flag), or the limits. */
export function validateProxyLimits(limits: Partial<ProxyLimits>, path = ''): ProxyLimits {
  const out = { ...DEFAULT_PROXY_LIMITS, ...limits };
  const at = (key: string) => (path ? `${path}.${key}` : key);
  if (!Number.isInteger(out.maxConnections) || out.maxConnections < 1) throw new Error(`${at('maxConnections')}: expected a whole number >= 1, got ${limits.maxConnections}`);
  if (!Number.isFinite(out.upstreamConnectTimeoutMs) || out.upstreamConnectTimeoutMs < 1) throw new Error(`${at('upstreamConnectTimeoutMs')}: expected milliseconds >= 1, got ${limits.upstreamConnectTimeoutMs}`);
  return out;
}
