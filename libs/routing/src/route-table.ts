import { compileHeaderMatcher, compilePathMatcher, type HeaderMatcher, type PathMatcher, type RouteHeaders } from './request.matchers.js';
import type { RouteActionConfig, RouteConfig } from './route.config.js';
import { WeightedVersion } from './weighted-version.js';

/** What the matcher looks at: method, raw path (no query string) and headers. */
export interface RouteRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: RouteHeaders;
}

/** One route compiled for matching; immutable and shared by every request. */
export class CompiledRoute {
  readonly name: string;
  readonly index: number;
  readonly cluster: string;
  readonly timeoutMs: number;
  /** Per-try timeout / hedging of this route's calls, when it overrides its cluster's. */
  readonly perTry: RouteActionConfig['perTry'];
  /** Every version the route can send traffic to, in configuration order. */
  readonly versions: readonly string[];
  private readonly path: PathMatcher;
  private readonly methods: readonly string[] | undefined;
  private readonly headers: readonly HeaderMatcher[];
  private readonly weighted: WeightedVersion;

  constructor(
    readonly config: RouteConfig,
    index: number,
  ) {
    this.name = config.name;
    this.index = index;
    this.cluster = config.action.cluster;
    this.timeoutMs = config.action.timeoutMs;
    this.perTry = config.action.perTry;
    this.path = compilePathMatcher(config.match.path);
    this.methods = config.match.methods;
    this.headers = config.match.headers.map(compileHeaderMatcher);
    this.weighted = new WeightedVersion(config.action.versions);
    this.versions = this.weighted.versions;
  }

  /** Path and method only: whether some request to `path` could take this route. */
  matchesPath(method: string, path: string): boolean {
    return (this.methods === undefined || this.methods.includes(method)) && this.path(path);
  }

  matches(request: RouteRequest): boolean {
    if (!this.matchesPath(request.method, request.path)) return false;
    const headers = this.headers;
    for (let i = 0; i < headers.length; i++) if (!headers[i]!(request.headers)) return false;
    return true;
  }

  /** The API version for one request; `random` is uniform in [0, 1). */
  pickVersion(random: number): string {
    return this.weighted.pick(random);
  }
}

/**
 * The ordered route list compiled once at start-up: first match wins, as in
 * Envoy. Matching walks precompiled predicates and returns a shared route
 * object; nothing is allocated per request unless a header is repeated.
 */
export class RouteTable {
  private compiled: readonly CompiledRoute[];

  constructor(routes: readonly RouteConfig[]) {
    this.compiled = routes.map((route, index) => new CompiledRoute(route, index));
  }

  get routes(): readonly CompiledRoute[] {
    return this.compiled;
  }

  /**
   * Takes the routes of `next` (a reload, compiled and validated already):
   * one assignment, so a request matches against the old table or the new
   * one, never a mix.
   */
  replace(next: RouteTable): void {
    this.compiled = next.routes;
  }

  /** The first route whose conditions all hold, or undefined (no route: a 404). */
  match(request: RouteRequest): CompiledRoute | undefined {
    const routes = this.routes;
    for (let i = 0; i < routes.length; i++) if (routes[i]!.matches(request)) return routes[i];
    return undefined;
  }
}

/**
 * The path of a request target without its query string; an absolute-form
 * target (`http://host/api/...`, which Fastify routes by its path) loses
 * its scheme and authority too, so routes see what the router saw.
 */
export function pathOf(url: string): string {
  let start = 0;
  if (url.charCodeAt(0) !== 47 /* "/" */) {
    const authority = url.indexOf('://');
    if (authority !== -1) {
      const slash = url.indexOf('/', authority + 3);
      if (slash === -1) return '/';
      start = slash;
    }
  }
  const q = url.indexOf('?', start);
  return q === -1 ? (start === 0 ? url : url.slice(start)) : url.slice(start, q);
}
