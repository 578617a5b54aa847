import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { defaultRoutes } from './default-routes.js';
import type { RouteHeaders } from './request.matchers.js';
import { parseRouteList } from './route.config.parse.js';
import { RouteTable, pathOf } from './route-table.js';
import { MAX_REGEX_INPUT_LENGTH } from './route.config.js';

interface Case {
  request: { method?: string; path?: string; headers?: RouteHeaders };
  route: string | null;
  version?: string;
}
interface Suite {
  suite: string;
  routes: 'default' | unknown[];
  cases: Case[];
}

const testdata = (name: string): unknown => parseYaml(readFileSync(fileURLToPath(new URL(`./testdata/${name}`, import.meta.url)), 'utf8'));
const suites = testdata('route-table.cases.yaml') as Suite[];

describe('route table (cases from testdata/route-table.cases.yaml)', () => {
  for (const { suite, routes, cases } of suites) {
    it(suite, () => {
      const table = new RouteTable(routes === 'default' ? defaultRoutes() : parseRouteList(routes));
      for (const { request, route, version } of cases) {
        const matched = table.match({ method: request.method ?? 'GET', path: request.path ?? '/', headers: request.headers ?? {} });
        const label = JSON.stringify(request);
        expect(matched?.name ?? null, label).toBe(route);
        if (version !== undefined) expect(matched?.pickVersion(0.5), label).toBe(version);
      }
    });
  }

  it('never runs a regex on a path longer than the bound, so hostile input costs nothing', () => {
    const table = new RouteTable(parseRouteList([{ name: 'any', match: { path: { regex: '/.*' } }, action: { api_version: 'v1' } }]));
    const match = (path: string) => table.match({ method: 'GET', path, headers: {} })?.name;
    expect(match(`/${'a'.repeat(MAX_REGEX_INPUT_LENGTH - 1)}`)).toBe('any');
    expect(match(`/${'a'.repeat(MAX_REGEX_INPUT_LENGTH)}`)).toBeUndefined();
  });

  it('returns the same route object for every match: nothing is built per request', () => {
    const table = new RouteTable(defaultRoutes());
    const request = { method: 'GET', path: '/api/products/1', headers: {} };
    expect(table.match(request)).toBe(table.match(request));
  });

  it('strips the query string (and an absolute-form origin) before matching', () => {
    expect(pathOf('/api/products/1?x=%zz')).toBe('/api/products/1');
    expect(pathOf('/api/products/1')).toBe('/api/products/1');
    expect(pathOf('http://example.com/api/v2/products/1?q')).toBe('/api/v2/products/1');
    expect(pathOf('http://example.com')).toBe('/');
  });
});

describe('route list validation (cases from testdata/route-errors.cases.yaml)', () => {
  const cases = testdata('route-errors.cases.yaml') as { routes: unknown; error: string }[];
  for (const { routes, error } of cases) {
    it(`refuses: ${error}`, () => {
      expect(() => parseRouteList(routes)).toThrow(error);
      try {
        parseRouteList(routes);
      } catch (thrown) {
        expect((thrown as Error).message).toBe(error);
      }
    });
  }
});

describe("a route's retry_policy (per-try timeout and hedging, as Envoy keeps them per route)", () => {
  it('is compiled onto the route; a route without one leaves the cluster policy alone', () => {
    const table = new RouteTable(
      parseRouteList([
        { name: 'hedged', match: { path: { prefix: '/api/v2/' } }, action: { api_version: 'v2', timeout: '3s', retry_policy: { per_try_timeout: '300ms', hedge_on_per_try_timeout: true } } },
        { name: 'plain', match: { path: { prefix: '/' } }, action: { api_version: 'v1' } },
      ]),
    );
    expect(table.match({ method: 'GET', path: '/api/v2/products/1', headers: {} })?.perTry).toEqual({ perTryTimeoutMs: 300, hedgeOnPerTryTimeout: true });
    expect(table.match({ method: 'GET', path: '/api/products/1', headers: {} })?.perTry).toBeUndefined();
  });
});
