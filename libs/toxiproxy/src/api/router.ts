/** Path parameters captured by `{name}` segments. */
export type RouteParams = Record<string, string>;

/** A matched route: its handler key and captured parameters. */
export type RouteMatch<H> = { kind: 'found'; handler: H; params: RouteParams } | { kind: 'not-found' } | { kind: 'method-not-allowed' };

interface Route<H> {
  methods: readonly string[];
  segments: readonly string[];
  handler: H;
}

/**
 * Path routing with gorilla/mux's outcomes: a path that matches no route is a
 * 404, a path that matches only with other methods is a 405.
 */
export class Router<H> {
  private readonly routes: Route<H>[] = [];

  add(methods: readonly string[], pattern: string, handler: H): this {
    this.routes.push({ methods, segments: pattern.split('/'), handler });
    return this;
  }

  match(method: string, path: string): RouteMatch<H> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return { kind: 'not-found' };
    }
    const segments = decoded.split('/');
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.methods.includes(method)) return { kind: 'found', handler: route.handler, params };
      pathMatched = true;
    }
    return pathMatched ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
  }
}

function matchSegments(pattern: readonly string[], path: readonly string[]): RouteParams | undefined {
  if (pattern.length !== path.length) return undefined;
  const params: RouteParams = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i];
    if (expected.startsWith('{') && expected.endsWith('}')) {
      if (path[i] === '') return undefined;
      params[expected.slice(1, -1)] = path[i];
    } else if (expected !== path[i]) {
      return undefined;
    }
  }
  return params;
}
