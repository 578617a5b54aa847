import { isAbsolute, resolve } from 'node:path';
import { ConfigError, childPath, optional, readArray, readDuration, readEnum, readObject, readPort, readString } from '@zonemesh/config';
import { HTTP_POLICY_KEYS, parseHttpBalancerPolicy, type HttpBalancerPolicy } from '@zonemesh/lb/http';
import { splitUrlCredentials } from '@zonemesh/discovery';

/** One Eureka server of one zone. */
export interface EurekaServerConfig {
  readonly zone: string;
  readonly url: string;
  readonly host: string;
  readonly port: number;
}

/** `source: {type: kubernetes}`: EndpointSlices selected by a label. */
export interface KubernetesSourceConfig {
  /** `http://127.0.0.1:8001` (kubectl proxy) or the API server URL. */
  readonly apiServer: string;
  readonly namespace: string;
  readonly labelSelector: string;
  /** Eureka app name; default: the slice's `kubernetes.io/service-name` label. */
  readonly app: string | undefined;
  /** Which port of the slice to register; default: the first. */
  readonly portName: string | undefined;
  readonly token: string | undefined;
  /** Pause before re-listing after the watch failed (API server unreachable). */
  readonly retryMs: number;
}

/** `source: {type: dns}`: the instances behind a DNS name. */
export interface DnsSourceConfig {
  /** SRV: `_http._tcp.reviews.example`; A: `reviews.example`. */
  readonly name: string;
  readonly record: 'SRV' | 'A';
  /** Required for A records (they carry no port). */
  readonly port: number | undefined;
  readonly app: string;
  /** How often the name is resolved again. */
  readonly intervalMs: number;
  /** DNS servers (`127.0.0.1:5353`...); empty: the system resolvers. */
  readonly servers: readonly string[];
}

export type SourceConfig =
  | { readonly type: 'static'; readonly path: string; readonly debounceMs: number }
  | ({ readonly type: 'kubernetes' } & KubernetesSourceConfig)
  | ({ readonly type: 'dns' } & DnsSourceConfig);

/** The syncer's configuration, validated once at start-up. */
export interface SyncConfig {
  /** Written into every registration's `zonemesh.synced-by` metadata: what this syncer owns. */
  readonly id: string;
  /** The syncer's own zone: its registry is preferred. Also the zone of instances whose source names none. */
  readonly zone: string;
  readonly eureka: {
    readonly servers: readonly EurekaServerConfig[];
    /** The path the servers serve the Eureka API under (`/eureka`). */
    readonly basePath: string;
    /** `Basic ...` from `user:pass@` server URLs (one credential for all of them), sent with every call. */
    readonly authorization: string | undefined;
    readonly policy: HttpBalancerPolicy;
  };
  readonly lease: { readonly renewalIntervalMs: number; readonly leaseDurationSecs: number };
  readonly source: SourceConfig;
  /** Where `GET /healthz`, `/status` and `/metrics` are served; undefined = no admin port. */
  readonly admin: { readonly host: string; readonly port: number } | undefined;
}

const ROOT_KEYS = ['id', 'zone', 'eureka', 'lease', 'source', 'admin'];

/**
 * Parses the sync.yaml document (after command-line overrides were merged
 * in). Errors name their path: `eureka.servers[1].url: expected http://host:port/path`.
 * Relative file paths are resolved against `baseDir` (the config file's folder).
 */
export function parseSyncConfig(document: unknown, baseDir: string): SyncConfig {
  const root = readObject(document, '', ROOT_KEYS);
  const id = readString(root.id, 'id', /^[\w.-]+$/, 'expected letters, digits, ".", "_" or "-"');
  const zone = readString(root.zone, 'zone');
  const eurekaNode = readObject(root.eureka, 'eureka', ['servers', ...HTTP_POLICY_KEYS]);
  const servers = readArray(eurekaNode.servers, 'eureka.servers').map((s, i) => parseServer(s, childPath('eureka.servers', i)));
  if (servers.length === 0) throw new ConfigError('eureka.servers', 'expected at least one server');
  const basePath = new URL(servers[0]!.url).pathname.replace(/\/+$/, '');
  const authorization = servers[0]!.authorization;
  servers.forEach((server, i) => {
    if (new URL(server.url).pathname.replace(/\/+$/, '') !== basePath) {
      throw new ConfigError(childPath(childPath('eureka.servers', i), 'url'), `every server must serve the same path (${basePath || '/'})`);
    }
    // The balancer picks the server per call, so one credential must fit every one of them.
    if (server.authorization !== authorization) {
      throw new ConfigError(childPath(childPath('eureka.servers', i), 'url'), 'every server must use the same user:pass@ credentials (or none)');
    }
  });
  const { servers: _servers, ...policyNode } = eurekaNode;
  const policy = parseHttpBalancerPolicy(policyNode, 'eureka');
  const leaseNode = optional(root.lease, {} as Record<string, unknown>, (v) => readObject(v, 'lease', ['renewal_interval', 'duration']));
  const renewalIntervalMs = optional(leaseNode.renewal_interval, 30_000, (v) => positive(readDuration(v, 'lease.renewal_interval'), 'lease.renewal_interval'));
  const durationMs = optional(leaseNode.duration, 90_000, (v) => readDuration(v, 'lease.duration'));
  if (durationMs < 1000 || durationMs % 1000 !== 0) throw new ConfigError('lease.duration', 'expected whole seconds, at least 1s (Eureka counts leases in seconds)');
  if (durationMs <= renewalIntervalMs) throw new ConfigError('lease.duration', 'must be longer than lease.renewal_interval, or every lease expires between heartbeats');
  return {
    id,
    zone,
    eureka: { servers: servers.map(({ authorization: _credential, ...server }) => server), basePath, authorization, policy },
    lease: { renewalIntervalMs, leaseDurationSecs: durationMs / 1000 },
    source: parseSource(root.source, 'source', baseDir),
    admin: optional(root.admin, undefined, (v) => {
      const node = readObject(v, 'admin', ['host', 'port']);
      return {
        host: optional(node.host, '127.0.0.1', (h) => readString(h, 'admin.host')),
        port: readPort(node.port, 'admin.port'),
      };
    }),
  };
}

function parseServer(value: unknown, path: string): EurekaServerConfig & { readonly authorization: string | undefined } {
  const node = readObject(value, path, ['zone', 'url']);
  const at = (key: string): string => childPath(path, key);
  const written = readString(node.url, at('url'));
  // Spring and eureka-js-client users write Basic auth into the URL; it leaves it here, and never reaches a message.
  if (!/^http:\/\/[^/\s]+(\/\S*)?$/.test(written)) throw new ConfigError(at('url'), 'expected http://host:port/path, e.g. http://127.0.0.1:8761/eureka');
  const { url, authorization } = splitUrlCredentials(written);
  const parsed = new URL(url);
  return {
    zone: readString(node.zone, at('zone')),
    authorization,
    url: url.replace(/\/+$/, ''),
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port === '' ? 80 : Number(parsed.port),
  };
}

function parseSource(value: unknown, path: string, baseDir: string): SourceConfig {
  const type = readEnum(readObject(value, path, ['type', 'path', 'debounce', 'api_server', 'namespace', 'label_selector', 'app', 'port_name', 'token', 'retry', 'name', 'record', 'port', 'interval', 'servers']).type, childPath(path, 'type'), ['static', 'kubernetes', 'dns'] as const);
  const at = (key: string): string => childPath(path, key);
  switch (type) {
    case 'static': {
      const node = readObject(value, path, ['type', 'path', 'debounce']);
      const file = readString(node.path, at('path'));
      return {
        type,
        path: isAbsolute(file) ? file : resolve(baseDir, file),
        debounceMs: optional(node.debounce, 200, (v) => readDuration(v, at('debounce'))),
      };
    }
    case 'kubernetes': {
      const node = readObject(value, path, ['type', 'api_server', 'namespace', 'label_selector', 'app', 'port_name', 'token', 'retry']);
      return {
        type,
        apiServer: readString(node.api_server, at('api_server'), /^https?:\/\/\S+$/, 'expected http(s)://host:port').replace(/\/+$/, ''),
        namespace: optional(node.namespace, 'default', (v) => readString(v, at('namespace'))),
        labelSelector: readString(node.label_selector, at('label_selector')),
        app: optional(node.app, undefined, (v) => readString(v, at('app'))),
        portName: optional(node.port_name, undefined, (v) => readString(v, at('port_name'))),
        token: optional(node.token, undefined, (v) => readString(v, at('token'))),
        retryMs: optional(node.retry, 5_000, (v) => positive(readDuration(v, at('retry')), at('retry'))),
      };
    }
    case 'dns': {
      const node = readObject(value, path, ['type', 'name', 'record', 'port', 'app', 'interval', 'servers']);
      const record = optional(node.record, 'SRV' as const, (v) => readEnum(v, at('record'), ['SRV', 'A'] as const));
      const port = optional(node.port, undefined, (v) => readPort(v, at('port')));
      if (record === 'A' && port === undefined) throw new ConfigError(at('port'), 'required with record A (A records carry no port)');
      return {
        type,
        name: readString(node.name, at('name')),
        record,
        port,
        app: readString(node.app, at('app')),
        intervalMs: optional(node.interval, 10_000, (v) => positive(readDuration(v, at('interval')), at('interval'))),
        servers: optional(node.servers, [] as string[], (v) =>
          readArray(v, at('servers')).map((s, i) => readString(s, childPath(at('servers'), i), /^[\d.]+(:\d+)?$|^\[[\da-fA-F:]+\](:\d+)?$/, 'expected ip or ip:port')),
        ),
      };
    }
  }
}

function positive(ms: number, path: string): number {
  if (ms <= 0) throw new ConfigError(path, 'must be longer than 0ms');
  return ms;
}

