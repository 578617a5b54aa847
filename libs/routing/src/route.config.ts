/**
 * The validated form of mesh.yaml's `routes:` section: an ordered list of
 * L7 routes, first match wins, shaped like Envoy's route configuration
 * (match on path, headers and method; an action naming the upstream).
 */
export interface RouteConfig {
  /** Unique name; what access logs and /openapi.json call the route. */
  readonly name: string;
  readonly match: RouteMatchConfig;
  readonly action: RouteActionConfig;
}

/** Every condition present must hold; an empty match takes every request. */
export interface RouteMatchConfig {
  /** Undefined = any path. */
  readonly path: PathMatchConfig | undefined;
  /** Upper-case method names; undefined = any method. */
  readonly methods: readonly string[] | undefined;
  readonly headers: readonly HeaderMatchConfig[];
}

/** Exactly one way of matching the path (the raw path, without the query string). */
export type PathMatchConfig =
  | { readonly kind: 'prefix'; readonly value: string }
  | { readonly kind: 'exact'; readonly value: string }
  /** Matches the whole path (anchored, like Envoy's safe_regex). */
  | { readonly kind: 'regex'; readonly value: string };

/** One header condition; `name` is lower-case. Repeated headers are joined with "," first (RFC 9110). */
export type HeaderMatchConfig =
  | { readonly name: string; readonly kind: 'exact'; readonly value: string }
  /** present: true = the header is sent (any value); false = it is absent. */
  | { readonly name: string; readonly kind: 'present'; readonly present: boolean }
  /** Matches the whole value (anchored). */
  | { readonly name: string; readonly kind: 'regex'; readonly value: string };

/** One API version and its share of the traffic of a weighted route. */
export interface VersionWeight {
  readonly version: string;
  readonly weight: number;
}

/**
 * Where a matched request goes. The gateway has one upstream call today
 * (catalog's GetProduct), so the choice is the API version the call
 * carries as `x-api-version` — which the pricing cluster's subset turns into
 * pricing v1 or v2 two hops later. Retries are the cluster's retry_policy.
 */
export interface RouteActionConfig {
  /** The upstream cluster the gateway calls. */
  readonly cluster: string;
  /** Versions with weights; a fixed version is one entry with weight 1. */
  readonly versions: readonly VersionWeight[];
  /** Deadline of the upstream call, in ms. */
  readonly timeoutMs: number;
  /**
   * `retry_policy: { per_try_timeout, hedge_on_per_try_timeout }`: overrides
   * the cluster's for this route's calls (Envoy keeps both on the route).
   * Undefined: the cluster's retry policy as it is.
   */
  readonly perTry: { readonly perTryTimeoutMs?: number; readonly hedgeOnPerTryTimeout?: boolean } | undefined;
}

/** Clusters a route may name: what the gateway has a client for. */
export const ROUTABLE_CLUSTERS: readonly string[] = Object.freeze(['catalog']);
export const DEFAULT_ROUTE_TIMEOUT_MS = 3000;
export const MAX_ROUTE_TIMEOUT_MS = 60_000;
/** Methods a route may name. */
export const ROUTE_METHODS: readonly string[] = Object.freeze(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Longest regular expression a route may carry: patterns stay reviewable. */
export const MAX_REGEX_LENGTH = 256;
/**
 * Longest path or header value a regex is run against; a longer input never
 * matches. Bounds the work any pattern can do on hostile input.
 */
export const MAX_REGEX_INPUT_LENGTH = 1024;
