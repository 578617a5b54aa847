export { startToxiproxyServer, type ToxiproxyServer, type ToxiproxyServerOptions } from './toxiproxy-server.js';
export { loadPopulateFile, parsePopulateConfig } from './populate-file.js';
export type { ProxyConfig } from './proxy/proxy-config.js';
export type { ProxyJson } from './proxy/proxy.js';
export type { ToxicJson, Direction } from './toxics/toxic-definition.js';
export { toxicTypeNames } from './toxics/toxic-registry.js';
export { TOXIPROXY_VERSION } from './version.js';
export { registerToxiproxyMetrics } from './toxiproxy-metrics.js';
export { DEFAULT_PROXY_LIMITS, validateProxyLimits, type ProxyLimits, type RefusalReason } from './proxy/proxy-limits.js';
