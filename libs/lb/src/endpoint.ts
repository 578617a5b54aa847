/**
 * One addressable instance of a service as the load balancer sees it.
 * `id` is stable across re-resolutions (e.g. the Eureka instanceId) and is
 * what metrics, /admin/clusters and `servedBy` name.
 */
export interface ResolvedEndpoint {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  /** Spring Cloud's `zone` metadata; undefined means "no zone" (treated as remote). */
  readonly zone: string | undefined;
  readonly metadata: Readonly<Record<string, string>>;
}

/** `host:port` as grpc-js writes subchannel addresses (IPv6 in brackets). */
export function endpointAddress(endpoint: Pick<ResolvedEndpoint, 'host' | 'port'>): string {
  return endpoint.host.includes(':') ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`;
}
