import { ConfigError, childPath, optional, readArray, readBoolean, readDuration, readEnum, readInteger, readObject, readString } from '@zonemesh/config';
import {
  DEFAULT_ROUTE_TIMEOUT_MS,
  MAX_REGEX_LENGTH,
  MAX_ROUTE_TIMEOUT_MS,
  ROUTABLE_CLUSTERS,
  ROUTE_METHODS,
  type HeaderMatchConfig,
  type PathMatchConfig,
  type RouteActionConfig,
  type RouteConfig,
  type RouteMatchConfig,
  type VersionWeight,
} from './route.config.js';
import { regexHazard } from './regex-safety.js';

export interface RouteParseOptions {
  /** Clusters an action may name, default ROUTABLE_CLUSTERS. */
  readonly clusters?: readonly string[];
}

const ROUTE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
const VERSION = /^v[0-9]{1,3}$/;
const MAX_WEIGHT = 10_000;

/**
 * Parses the `routes:` list (parsed YAML) into typed routes, validated once:
 * unknown keys are errors and every error names its path, e.g.
 * `routes[2].match.headers[0].regex: invalid regular expression`.
 */
export function parseRouteList(value: unknown, path = 'routes', options: RouteParseOptions = {}): RouteConfig[] {
  const list = readArray(value, path);
  if (list.length === 0) throw new ConfigError(path, 'expected at least one route (leave the section out for the default routes)');
  const routes = list.map((item, index) => parseRoute(item, childPath(path, index), options));
  const seen = new Set<string>();
  routes.forEach((route, index) => {
    if (seen.has(route.name)) throw new ConfigError(childPath(childPath(path, index), 'name'), `route "${route.name}" is defined twice`);
    seen.add(route.name);
  });
  return routes;
}

export function parseRoute(value: unknown, path: string, options: RouteParseOptions = {}): RouteConfig {
  const node = readObject(value, path, ['name', 'match', 'action']);
  const name = readString(node.name, childPath(path, 'name'), ROUTE_NAME, 'expected a name of letters, digits, ".", "_" or "-" (at most 64)');
  if (node.match === undefined) throw new ConfigError(childPath(path, 'match'), 'required (use {} to match every request)');
  if (node.action === undefined) throw new ConfigError(childPath(path, 'action'), 'required');
  return { name, match: parseMatch(node.match, childPath(path, 'match')), action: parseAction(node.action, childPath(path, 'action'), options) };
}

function parseMatch(value: unknown, path: string): RouteMatchConfig {
  const node = readObject(value, path, ['path', 'methods', 'headers']);
  const methods = optional(node.methods, undefined as string[] | undefined, (v) => {
    const list = readArray(v, childPath(path, 'methods'));
    if (list.length === 0) throw new ConfigError(childPath(path, 'methods'), 'expected at least one method (leave it out for any method)');
    return list.map((m, i) => readEnum(m, childPath(childPath(path, 'methods'), i), ROUTE_METHODS));
  });
  const headers = optional(node.headers, [] as HeaderMatchConfig[], (v) =>
    readArray(v, childPath(path, 'headers')).map((h, i) => parseHeaderMatch(h, childPath(childPath(path, 'headers'), i))),
  );
  return { path: optional(node.path, undefined, (v) => parsePathMatch(v, childPath(path, 'path'))), methods, headers };
}

function parsePathMatch(value: unknown, path: string): PathMatchConfig {
  const node = readObject(value, path, ['prefix', 'exact', 'regex']);
  const kind = exactlyOne(node, path, ['prefix', 'exact', 'regex'] as const);
  const at = childPath(path, kind);
  if (kind === 'regex') return { kind, value: readRegex(node.regex, at) };
  return { kind, value: readString(node[kind], at, /^\/[\x21-\x7e]*$/, 'expected a path starting with "/" (no spaces)') };
}

function parseHeaderMatch(value: unknown, path: string): HeaderMatchConfig {
  const node = readObject(value, path, ['name', 'exact', 'present', 'regex']);
  const name = readString(node.name, childPath(path, 'name'), HEADER_NAME, 'expected a header name').toLowerCase();
  const kind = exactlyOne(node, path, ['exact', 'present', 'regex'] as const);
  const at = childPath(path, kind);
  if (kind === 'present') return { name, kind, present: readBoolean(node.present, at) };
  if (kind === 'regex') return { name, kind, value: readRegex(node.regex, at) };
  if (typeof node.exact !== 'string') throw new ConfigError(at, 'expected a string');
  return { name, kind, value: node.exact };
}

function parseAction(value: unknown, path: string, options: RouteParseOptions): RouteActionConfig {
  const node = readObject(value, path, ['cluster', 'api_version', 'version_weights', 'timeout', 'retry_policy']);
  const clusters = options.clusters ?? ROUTABLE_CLUSTERS;
  const cluster = optional(node.cluster, clusters[0] ?? 'catalog', (v) => {
    const name = readString(v, childPath(path, 'cluster'));
    // A route naming a cluster the gateway cannot call would be a setting that does nothing.
    if (!clusters.includes(name)) {
      throw new ConfigError(
        childPath(path, 'cluster'),
        `the gateway can route only to ${clusters.join(', ')} (the clusters whose gRPC contract it serves the REST API from), got ${JSON.stringify(name)}`,
      );
    }
    return name;
  });
  const kind = exactlyOne(node, path, ['api_version', 'version_weights'] as const);
  let versions: VersionWeight[];
  if (kind === 'api_version') {
    versions = [{ version: readString(node.api_version, childPath(path, kind), VERSION, 'expected a version like "v2"'), weight: 1 }];
  } else {
    const weightsPath = childPath(path, kind);
    const weights = readObject(node.version_weights, weightsPath, node.version_weights !== null && typeof node.version_weights === 'object' ? Object.keys(node.version_weights) : []);
    versions = Object.entries(weights).map(([version, weight]) => {
      const at = childPath(weightsPath, version);
      readString(version, at, VERSION, 'expected a version like "v2" as key');
      return { version, weight: readInteger(weight, at, 0, MAX_WEIGHT) };
    });
    if (versions.length === 0) throw new ConfigError(weightsPath, 'expected at least one version');
    if (!versions.some((v) => v.weight > 0)) throw new ConfigError(weightsPath, 'at least one weight must be above 0');
  }
  const timeoutMs = optional(node.timeout, DEFAULT_ROUTE_TIMEOUT_MS, (v) => {
    const ms = readDuration(v, childPath(path, 'timeout'));
    if (ms <= 0 || ms > MAX_ROUTE_TIMEOUT_MS) throw new ConfigError(childPath(path, 'timeout'), `must be above 0 and at most ${MAX_ROUTE_TIMEOUT_MS / 1000}s`);
    return ms;
  });
  return { cluster, versions, timeoutMs, perTry: optional(node.retry_policy, undefined, (v) => parseRoutePerTry(v, childPath(path, 'retry_policy'), timeoutMs)) };
}

/** A route's `retry_policy`: only what Envoy keeps per route and the cluster's policy cannot say per route. */
function parseRoutePerTry(value: unknown, path: string, timeoutMs: number): RouteActionConfig['perTry'] {
  const node = readObject(value, path, ['per_try_timeout', 'hedge_on_per_try_timeout']);
  const perTryTimeoutMs = optional(node.per_try_timeout, undefined, (v) => {
    const ms = readDuration(v, childPath(path, 'per_try_timeout'));
    if (ms <= 0 || ms >= timeoutMs) throw new ConfigError(childPath(path, 'per_try_timeout'), `must be above 0 and shorter than the route's timeout (${timeoutMs} ms), or no second try ever starts`);
    return ms;
  });
  const hedgeOnPerTryTimeout = optional(node.hedge_on_per_try_timeout, undefined, (v) => readBoolean(v, childPath(path, 'hedge_on_per_try_timeout')));
  if (perTryTimeoutMs === undefined && hedgeOnPerTryTimeout === undefined) throw new ConfigError(path, 'expected per_try_timeout and/or hedge_on_per_try_timeout');
  return { ...(perTryTimeoutMs === undefined ? {} : { perTryTimeoutMs }), ...(hedgeOnPerTryTimeout === undefined ? {} : { hedgeOnPerTryTimeout }) };
}

function readRegex(value: unknown, path: string): string {
  const source = readString(value, path);
  if (source.length > MAX_REGEX_LENGTH) throw new ConfigError(path, `regular expression longer than ${MAX_REGEX_LENGTH} characters`);
  try {
    new RegExp(source);
  } catch {
    throw new ConfigError(path, 'invalid regular expression');
  }
  const hazard = regexHazard(source);
  if (hazard) throw new ConfigError(path, hazard);
  return source;
}

/** The one key of `keys` present in `node`; none or several is an error naming them all. */
function exactlyOne<K extends string>(node: Record<string, unknown>, path: string, keys: readonly K[]): K {
  const present = keys.filter((k) => node[k] !== undefined);
  if (present.length !== 1) {
    throw new ConfigError(path, `expected exactly one of ${keys.join(', ')}${present.length > 1 ? `, got ${present.join(' and ')}` : ''}`);
  }
  return present[0]!;
}
