/** One proxy to create, as accepted by POST /proxies, POST /populate and the config file. */
export interface ProxyConfig {
  name: string;
  /** `host:port` to listen on; `localhost:0` picks a free loopback port. */
  listen: string;
  /** `host:port` every accepted connection is forwarded to. */
  upstream: string;
  /** Defaults to true. */
  enabled?: boolean;
}
