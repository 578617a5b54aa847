import { ConfigError, formatDuration, optional, readArray, readBoolean, readDuration, readInteger, readObject, readPort, readString, type DocumentPath } from '@zonemesh/config';
import { ClusterDraft, pathText, type ClusterFileRead } from '../cluster-draft.js';
import { readSpringProperties, type SpringProperties } from './spring-properties.js';

/** Spring's and Reactor Netty's defaults, where the seed's file leaves a setting out. */
export const SPRING_DEFAULTS = {
  /** Reactor Netty's CONNECT_TIMEOUT_MILLIS. */
  connectTimeoutMs: 30_000,
  /** spring.cloud.loadbalancer.retry.enabled is on unless switched off. */
  retryEnabled: true,
  /** RetryProperties: next instance once, same instance never. */
  maxRetriesOnNextServiceInstance: 1,
};

/** See readZones: the preferred zone keeps all traffic while any instance of it is left. */
export const EUREKUBE_HEALTHY_THRESHOLD = 0.01;

const EUREKUBE_KEYS = ['zone-failover', 'webclient'];
const LOADBALANCER_KEYS = ['retry', 'cache', 'zone', 'configurations', 'health-check'];

/**
 * Reads the second seed's configuration as written: `eurekube.*` (the
 * zone-failover library: preferred zone, failed-instance cache TTL, WebClient
 * timeouts in ms) and `spring.cloud.*` (Spring Cloud LoadBalancer retry and
 * cache, simple-discovery instances with `metadata.zone`). One cluster per
 * service id. Unknown keys under `eurekube` and `spring.cloud.loadbalancer`
 * are errors; the rest of a Spring file (server.port, ...) is not ours to read.
 */
export function readSpringClusters(document: unknown): ClusterFileRead {
  const props = readSpringProperties(document);
  const notes: string[] = [];
  const get = (...logical: string[]): unknown => logical.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), props.tree);
  for (const key of Object.keys(props.tree)) {
    if (key !== 'eurekube' && key !== 'spring') notes.push(`${key}: not read (zonemesh reads eurekube.* and spring.cloud.*)`);
  }
  const spring = get('spring');
  if (spring !== undefined) {
    for (const key of Object.keys(readObject(spring, 'spring', Object.keys(spring as object)))) {
      if (key !== 'cloud') notes.push(`spring.${key}: not read (zonemesh reads spring.cloud.loadbalancer and spring.cloud.discovery)`);
    }
  }
  const cloud = get('spring', 'cloud');
  if (cloud !== undefined) {
    for (const key of Object.keys(readObject(cloud, 'spring.cloud', Object.keys(cloud as object)))) {
      if (key !== 'loadbalancer' && key !== 'discovery') notes.push(`spring.cloud.${key}: not read (zonemesh reads spring.cloud.loadbalancer and spring.cloud.discovery)`);
    }
  }
  const eurekube = optional(get('eurekube'), {}, (v) => readObject(v, 'eurekube', EUREKUBE_KEYS));
  const loadbalancer = optional(get('spring', 'cloud', 'loadbalancer'), {}, (v) => readObject(v, 'spring.cloud.loadbalancer', LOADBALANCER_KEYS));
  const shared = new ClusterDraft();
  const callerZone = readZones(eurekube, loadbalancer, props, shared);
  readTimeoutsAndRetry(eurekube, loadbalancer, props, shared);
  readLoadBalancerRest(loadbalancer, notes);
  const simple = findInstances(props, notes);

  const services = Object.entries(readObject(simple.value, pathText(simple.logical), Object.keys(simple.value as object)));
  if (services.length === 0) throw new ConfigError(pathText(simple.logical), 'expected at least one service id with its instances');
  const clusters = services.map(([serviceId, list]) => {
    const draft = new ClusterDraft();
    Object.assign(draft.raw, structuredClone(shared.raw));
    Object.assign(draft.origins, shared.origins);
    const logical = [...simple.logical, serviceId];
    draft.set('name', serviceId, props.origin(logical));
    draft.set('type', 'static');
    readArray(list, pathText(logical)).forEach((instance, i) => readInstance(instance, [...logical, i], i, props, draft));
    if (draft.raw.endpoints === undefined) throw new ConfigError(pathText(logical), 'expected at least one instance');
    return draft.build(pathText(logical), callerZone);
  });
  return { format: 'spring', clusters, notes };
}

/** Spring Cloud's own prefix is spring.cloud.discovery.client.simple; the seed's document writes spring.cloud.discovery.simple. Both are read. */
function findInstances(props: SpringProperties, notes: string[]): { value: unknown; logical: string[] } {
  const discovery = props.tree.spring && (props.tree.spring as Record<string, unknown>).cloud;
  const node = discovery && (discovery as Record<string, unknown>).discovery;
  const path = 'spring.cloud.discovery';
  if (node === undefined) throw new ConfigError(`${path}.simple.instances`, 'required: the instances to balance over (host, port, metadata.zone)');
  const d = readObject(node, path, ['simple', 'client']);
  if (d.simple !== undefined && d.client !== undefined) throw new ConfigError(`${path}.client`, 'give the instances once: under simple or under client.simple');
  const logical = d.simple !== undefined ? ['spring', 'cloud', 'discovery', 'simple'] : ['spring', 'cloud', 'discovery', 'client', 'simple'];
  const simpleNode = d.simple ?? readObject(d.client, `${path}.client`, ['simple']).simple;
  const simple = readObject(simpleNode, pathText(logical), ['instances', 'order', 'local']);
  if (simple.order !== undefined || simple.local !== undefined) notes.push(`${pathText(logical)}: order/local accepted; they matter only to Spring's composite discovery client`);
  if (simple.instances === undefined) throw new ConfigError(`${pathText(logical)}.instances`, 'required: the instances to balance over');
  return { value: simple.instances, logical: [...logical, 'instances'] };
}

function readZones(eurekube: Record<string, unknown>, loadbalancer: Record<string, unknown>, props: SpringProperties, draft: ClusterDraft): string | undefined {
  const zf = optional(eurekube['zone-failover'], {} as Record<string, unknown>, (v) => readObject(v, 'eurekube.zone-failover', ['preferred-zone', 'cache']));
  const preferredPath = ['eurekube', 'zone-failover', 'preferred-zone'];
  const preferred = optional(zf['preferred-zone'], undefined, (v) => readString(v, pathText(preferredPath)));
  const own = optional(loadbalancer.zone, undefined, (v) => readString(v, 'spring.cloud.loadbalancer.zone'));
  // The preferred zone is where calls go while it has healthy instances: in zonemesh terms, the caller's zone.
  const callerZone = preferred ?? own;
  // eurekube's selector keeps the preferred zone while any of its instances is left, then
  // moves on: a zone keeps all traffic down to a 1% healthy share (any instance in zones under 100).
  draft.set('zone_failover.healthy_threshold', EUREKUBE_HEALTHY_THRESHOLD);
  if (callerZone !== undefined) draft.set('zone_failover.zone_order', [callerZone], props.origin(preferred !== undefined ? preferredPath : ['spring', 'cloud', 'loadbalancer', 'zone']));
  const cache = optional(zf.cache, {} as Record<string, unknown>, (v) => readObject(v, 'eurekube.zone-failover.cache', ['ttl']));
  if (cache.ttl !== undefined) {
    const ttlPath = ['eurekube', 'zone-failover', 'cache', 'ttl'];
    draft.set('zone_failover.failed_instance_ttl', formatDuration(springDuration(cache.ttl, pathText(ttlPath))), props.origin(ttlPath));
  }
  return callerZone;
}

/** A Spring Duration: a bare number is milliseconds (Spring's default unit), `20m`/`5s`/`250ms` as written. */
export function springDuration(value: unknown, path: string): number {
  if (typeof value === 'number') return readInteger(value, path, 0);
  return readDuration(value, path);
}

function readTimeoutsAndRetry(eurekube: Record<string, unknown>, loadbalancer: Record<string, unknown>, props: SpringProperties, draft: ClusterDraft): void {
  const webclient = optional(eurekube.webclient, {} as Record<string, unknown>, (v) => readObject(v, 'eurekube.webclient', ['timeout']));
  const timeout = optional(webclient.timeout, {} as Record<string, unknown>, (v) => readObject(v, 'eurekube.webclient.timeout', ['connect-timeout', 'read-timeout']));
  const connectPath = ['eurekube', 'webclient', 'timeout', 'connect-timeout'];
  const connect = optional(timeout['connect-timeout'], SPRING_DEFAULTS.connectTimeoutMs, (v) => positive(springDuration(v, pathText(connectPath)), pathText(connectPath)));
  draft.set('connect_timeout', formatDuration(connect), props.origin(connectPath));

  const retry = optional(loadbalancer.retry, {} as Record<string, unknown>, (v) =>
    readObject(v, 'spring.cloud.loadbalancer.retry', ['enabled', 'max-retries-on-next-service-instance', 'max-retries-on-same-service-instance', 'avoid-previous-instance', 'retry-on-all-operations', 'retryable-status-codes', 'backoff']),
  );
  const at = (key: string) => ['spring', 'cloud', 'loadbalancer', 'retry', key];
  const enabled = optional(retry.enabled, SPRING_DEFAULTS.retryEnabled, (v) => readBoolean(v, pathText(at('enabled'))));
  const next = optional(retry['max-retries-on-next-service-instance'], SPRING_DEFAULTS.maxRetriesOnNextServiceInstance, (v) =>
    readInteger(v, pathText(at('max-retries-on-next-service-instance')), 0, 4),
  );
  const refuse = (key: string, allowed: unknown, reason: string) => {
    if (retry[key] !== undefined && retry[key] !== allowed) throw new ConfigError(pathText(at(key)), `only ${String(allowed)} is supported: ${reason}`);
  };
  refuse('max-retries-on-same-service-instance', 0, 'a retry always goes to another instance while one exists');
  refuse('avoid-previous-instance', true, 'a retry always avoids the instances already tried');
  refuse('retry-on-all-operations', false, 'name the methods that may retry on DEADLINE_EXCEEDED in mesh.yaml retry_policy.idempotent_methods');
  for (const key of ['retryable-status-codes', 'backoff']) {
    if (retry[key] !== undefined) {
      throw new ConfigError(pathText(at(key)), key === 'backoff' ? 'not implemented: retries back off 25ms..250ms (grpc-js)' : 'HTTP status codes do not apply to gRPC calls: retries are on UNAVAILABLE');
    }
  }
  // Spring retries IOExceptions (a refused or reset connection): for gRPC, UNAVAILABLE, our default retry_on.
  draft.set('retry_policy.max_attempts', enabled ? 1 + next : 1, props.origin(retry['max-retries-on-next-service-instance'] !== undefined ? at('max-retries-on-next-service-instance') : at('enabled')));
  const readPath = ['eurekube', 'webclient', 'timeout', 'read-timeout'];
  if (timeout['read-timeout'] !== undefined) {
    const ms = positive(springDuration(timeout['read-timeout'], pathText(readPath)), pathText(readPath));
    // Reactor Netty's read timeout bounds each HTTP exchange, and a Spring LoadBalancer retry is a new exchange: a per-try timeout.
    draft.set('retry_policy.per_try_timeout', formatDuration(ms), props.origin(readPath));
  }
}

function positive(ms: number, path: string): number {
  if (ms <= 0) throw new ConfigError(path, 'must be longer than 0ms');
  return ms;
}

function readLoadBalancerRest(loadbalancer: Record<string, unknown>, notes: string[]): void {
  if (loadbalancer.cache !== undefined) {
    const cache = readObject(loadbalancer.cache, 'spring.cloud.loadbalancer.cache', ['enabled']);
    if (cache.enabled !== undefined) readBoolean(cache.enabled, 'spring.cloud.loadbalancer.cache.enabled');
    notes.push('spring.cloud.loadbalancer.cache: accepted; zonemesh keeps no instance-list cache of its own (the resolver pushes every change)');
  }
  if (loadbalancer.configurations !== undefined) {
    const value = readString(loadbalancer.configurations, 'spring.cloud.loadbalancer.configurations');
    if (value !== 'zone-preference' && value !== 'default') {
      throw new ConfigError('spring.cloud.loadbalancer.configurations', `only default or zone-preference (zonemesh always prefers the caller zone); for health checks use health_checks in mesh.yaml, got "${value}"`);
    }
  }
  if (loadbalancer['health-check'] !== undefined) {
    throw new ConfigError('spring.cloud.loadbalancer.health-check', "Spring's health-check supplier is not implemented: use health_checks in mesh.yaml (or an Envoy file)");
  }
}

function readInstance(value: unknown, logical: DocumentPath, index: number, props: SpringProperties, draft: ClusterDraft): void {
  const path = pathText(logical);
  const node = readObject(value, path, ['host', 'port', 'metadata', 'instance-id', 'secure', 'uri', 'service-id']);
  const at = (key: string) => [...logical, key];
  if (node.uri !== undefined) throw new ConfigError(pathText(at('uri')), 'give host and port instead');
  if (node.secure !== undefined && readBoolean(node.secure, pathText(at('secure')))) throw new ConfigError(pathText(at('secure')), 'TLS is not implemented: channels are plaintext');
  if (node['service-id'] !== undefined && node['service-id'] !== logical[logical.length - 2]) {
    throw new ConfigError(pathText(at('service-id')), `must match the service id it is listed under ("${String(logical[logical.length - 2])}")`);
  }
  const host = readString(node.host, pathText(at('host')));
  const port = readPort(node.port, pathText(at('port')));
  const ours = `endpoints[${index}]`;
  draft.set(`${ours}.address`, `${host.includes(':') ? `[${host}]` : host}:${port}`, props.origin(at('host')));
  if (node['instance-id'] !== undefined) draft.set(`${ours}.id`, readString(node['instance-id'], pathText(at('instance-id'))), props.origin(at('instance-id')));
  const metadata = optional(node.metadata, {} as Record<string, unknown>, (v) => readObject(v, pathText(at('metadata')), v !== null && typeof v === 'object' ? Object.keys(v) : []));
  for (const [key, v] of Object.entries(metadata)) {
    const from = props.origin([...at('metadata'), key]);
    if (typeof v === 'object' || v === undefined) throw new ConfigError(pathText([...at('metadata'), key]), 'expected a string');
    // Spring's zone-preference reads the instance's `zone` metadata: in zonemesh, the endpoint's zone.
    if (key === 'zone') draft.set(`${ours}.zone`, readString(v, pathText([...at('metadata'), key])), from);
    else draft.set(`${ours}.metadata.${key}`, String(v), from);
  }
}
