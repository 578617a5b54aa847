import { Ajv2020 } from 'ajv/dist/2020.js';
import { DEFAULT_ROUTES_YAML, RouteTable, defaultRoutes, parseRouteList } from '@zonemesh/routing';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { PRODUCT_ENDPOINTS, unreachableRoutes } from '../routing/product-endpoints.js';
import { renderDocsPage } from './docs.page.js';
import { buildOpenApiDocument } from './openapi.document.js';

/**
 * The structural rules of OpenAPI 3.1 (openapi, info, paths of operations
 * with responses, parameters with name/in/schema, path parameters
 * required) as a small JSON Schema: enough to catch a generator that
 * drifts from the spec without vendoring the official 3.1 schema.
 */
const OPENAPI_31_SUBSET = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['openapi', 'info', 'paths'],
  properties: {
    openapi: { type: 'string', pattern: '^3\\.1\\.\\d+$' },
    info: { type: 'object', required: ['title', 'version'], properties: { title: { type: 'string' }, version: { type: 'string' } } },
    paths: {
      type: 'object',
      propertyNames: { pattern: '^/' },
      additionalProperties: {
        type: 'object',
        propertyNames: { pattern: '^(get|put|post|delete|options|head|patch|trace|parameters|summary|description|x-.*)$' },
        properties: { get: { $ref: '#/$defs/operation' } },
      },
    },
    components: {
      type: 'object',
      properties: {
        schemas: { type: 'object', additionalProperties: { type: 'object' } },
        responses: { type: 'object', additionalProperties: { $ref: '#/$defs/response' } },
      },
    },
  },
  patternProperties: { '^x-': true },
  additionalProperties: false,
  $defs: {
    operation: {
      type: 'object',
      required: ['responses'],
      properties: {
        operationId: { type: 'string' },
        parameters: { type: 'array', items: { $ref: '#/$defs/parameter' } },
        responses: {
          type: 'object',
          minProperties: 1,
          propertyNames: { pattern: '^([1-5][0-9X]{2}|default)$' },
          additionalProperties: { anyOf: [{ $ref: '#/$defs/reference' }, { $ref: '#/$defs/response' }] },
        },
      },
    },
    parameter: {
      type: 'object',
      required: ['name', 'in', 'schema'],
      properties: { name: { type: 'string' }, in: { enum: ['path', 'query', 'header', 'cookie'] }, required: { type: 'boolean' } },
      if: { properties: { in: { const: 'path' } } },
      then: { required: ['required'], properties: { required: { const: true } } },
    },
    response: { type: 'object', required: ['description'], properties: { description: { type: 'string' }, content: { type: 'object' } } },
    reference: { type: 'object', required: ['$ref'], properties: { $ref: { type: 'string' } } },
  },
};

const canaryTable = () =>
  new RouteTable(
    parseRouteList([
      { name: 'canary', match: { path: { prefix: '/api/products/' }, headers: [{ name: 'x-canary', present: true }] }, action: { version_weights: { v1: 90, v3: 10 } } },
      ...(parseYaml(DEFAULT_ROUTES_YAML) as unknown[]),
    ]),
  );

function refsOf(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsOf(v, found));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') found.push(v);
      else refsOf(v, found);
    }
  }
  return found;
}

function resolve(document: unknown, ref: string): unknown {
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
}

describe('OpenAPI document', () => {
  it('is structurally valid OpenAPI 3.1 and every $ref resolves', () => {
    const document = JSON.parse(JSON.stringify(buildOpenApiDocument(canaryTable()))) as unknown;
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(OPENAPI_31_SUBSET);
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
    const refs = refsOf(document);
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) expect(resolve(document, ref), ref).toBeDefined();
  });

  it('lists every route of the table, in order, and on each operation the routes that can serve it', () => {
    const table = canaryTable();
    const document = buildOpenApiDocument(table);
    expect(document['x-zonemesh-routes'].map((r) => r.name)).toEqual(table.routes.map((r) => r.name));
    expect(document['x-zonemesh-routes'][0]).toEqual({
      name: 'canary',
      match: { path: 'prefix /api/products/', headers: ['x-canary present'] },
      action: { cluster: 'catalog', versions: { v1: 90, v3: 10 }, timeout: '3s' },
    });
    const plain = document.paths['/api/products/{id}']!.get!;
    expect(plain['x-zonemesh-routes']).toEqual(['canary', 'api-v2-header', 'api-default']);
    expect(plain.description).toContain('v3 (weight 10)');
    const versioned = document.paths['/api/{version}/products/{id}']!.get!;
    expect(versioned['x-zonemesh-routes']).toEqual(['api-v2-path', 'api-v1-path']);
    // v3 is served only through the header canary: no route takes /api/v3/.
    expect(versioned.parameters!.find((p) => p.name === 'version')!.schema).toEqual({ type: 'string', enum: ['v1', 'v2'] });
    const listed = new Set(PRODUCT_ENDPOINTS.flatMap((e) => document.paths[e.path]!.get!['x-zonemesh-routes']!));
    expect([...listed].sort()).toEqual(table.routes.map((r) => r.name).sort());
    for (const status of ['400', '404', '405', '413', '429', '503', '504']) expect(plain.responses[status], status).toBeDefined();
  });

  it('names the routes no endpoint can reach', () => {
    const table = new RouteTable(
      parseRouteList([
        { name: 'dead', match: { path: { prefix: '/shop/' } }, action: { api_version: 'v1' } },
        { name: 'live', match: { path: { regex: '/api/products/[0-9]+' } }, action: { api_version: 'v1' } },
      ]),
    );
    expect(unreachableRoutes(table).map((r) => r.name)).toEqual(['dead']);
    expect(unreachableRoutes(new RouteTable(defaultRoutes()))).toEqual([]);
  });

  it('renders /docs as self-contained HTML listing routes, operations, parameters and responses', () => {
    const page = renderDocsPage(buildOpenApiDocument(canaryTable()));
    for (const text of ['/api/products/{id}', '/api/{version}/products/{id}', '/healthz', 'canary', 'api-default', 'x-api-version', 'v1: 90, v3: 10', 'No upstream instance is available']) {
      expect(page, text).toContain(text);
    }
    expect(page).not.toMatch(/<script|<link|src=|https?:\/\//);
  });

  it('escapes what comes from configuration', () => {
    const table = new RouteTable(parseRouteList([{ name: 'r', match: { headers: [{ name: 'x-a', exact: '<img onerror=x>' }] }, action: { api_version: 'v1' } }]));
    const page = renderDocsPage(buildOpenApiDocument(table));
    expect(page).toContain('&lt;img onerror=x&gt;');
    expect(page).not.toContain('<img');
  });
});
