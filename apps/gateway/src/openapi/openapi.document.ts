import { formatDuration } from '@zonemesh/config';
import type { HeaderMatchConfig, RouteConfig, RouteTable } from '@zonemesh/routing';
import { PRODUCT_ENDPOINTS, pathVersions, routesReaching, type ProductEndpoint } from '../routing/product-endpoints.js';
import type { JsonSchema, OpenApiDocument, Operation, Parameter, PathItem, Response, RouteDescription } from './openapi.types.js';

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const errorRef = (name: string) => ({ $ref: `#/components/responses/${name}` });

const SCHEMAS: Record<string, JsonSchema> = {
  Product: {
    type: 'object',
    required: ['id', 'name', 'apiVersion', 'price', 'stock', 'servedBy'],
    properties: {
      id: { type: 'string', pattern: '^[0-9]{1,18}$' },
      name: { type: 'string' },
      apiVersion: { type: 'string', description: 'The API version the route table chose; sent upstream as gRPC metadata x-api-version.' },
      price: ref('Price'),
      stock: ref('Stock'),
      servedBy: ref('ServedBy'),
    },
  },
  Price: {
    type: ['object', 'null'],
    properties: {
      amount: { type: 'number' },
      currency: { type: 'string' },
      version: { type: 'string', description: 'Deployment version of the pricing instance that answered.' },
      discountPercent: { type: 'number', description: 'v2 only.' },
      tax: { type: 'number', description: 'v2 only.' },
      total: { type: 'number', description: 'v2 only.' },
      requestedApiVersion: { type: 'string', description: 'The x-api-version pricing received.' },
    },
  },
  Stock: { type: ['object', 'null'], properties: { available: { type: 'integer' }, warehouse: { type: 'string' } } },
  ServedBy: {
    type: 'object',
    description: 'Instance ids (which contain the zone) of every hop that served the call.',
    required: ['catalog', 'pricing', 'inventory'],
    properties: { catalog: { type: 'string' }, pricing: { type: 'string' }, inventory: { type: 'string' } },
  },
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message', 'requestId'],
        properties: {
          code: { type: 'string', description: 'A gRPC status name (UNAVAILABLE, NOT_FOUND, ...) or an HTTP one (METHOD_NOT_ALLOWED, PAYLOAD_TOO_LARGE).' },
          message: { type: 'string' },
          requestId: { type: 'string', description: 'Also in the x-request-id response header.' },
        },
      },
    },
  },
};

/** Every error status the gateway answers on purpose, and why. */
const ERRORS: Record<string, string> = {
  BadRequest: 'Malformed id, x-api-version header or query string (gRPC INVALID_ARGUMENT).',
  NotFound: 'No such product (gRPC NOT_FOUND), or no route matches the request.',
  MethodNotAllowed: 'Only GET and HEAD are served.',
  PayloadTooLarge: 'Request body over the limit.',
  UriTooLong: 'A path segment is too long.',
  TooManyRequests: 'An upstream is out of capacity (gRPC RESOURCE_EXHAUSTED).',
  BadGateway: 'An upstream failed unexpectedly.',
  ServiceUnavailable: 'No upstream instance is available (gRPC UNAVAILABLE).',
  GatewayTimeout: "The upstream call missed the route's deadline (gRPC DEADLINE_EXCEEDED).",
};
const ERROR_STATUS: Record<string, string> = {
  '400': 'BadRequest',
  '404': 'NotFound',
  '405': 'MethodNotAllowed',
  '413': 'PayloadTooLarge',
  '414': 'UriTooLong',
  '429': 'TooManyRequests',
  '502': 'BadGateway',
  '503': 'ServiceUnavailable',
  '504': 'GatewayTimeout',
};

function describeHeader(header: HeaderMatchConfig): string {
  if (header.kind === 'present') return `${header.name} ${header.present ? 'present' : 'absent'}`;
  return header.kind === 'exact' ? `${header.name} = ${header.value}` : `${header.name} ~ /${header.value}/`;
}

export function describeRoute(route: RouteConfig): RouteDescription {
  const { path, methods, headers } = route.match;
  return {
    name: route.name,
    match: {
      ...(path ? { path: `${path.kind} ${path.value}` } : {}),
      ...(methods ? { methods } : {}),
      ...(headers.length > 0 ? { headers: headers.map(describeHeader) } : {}),
    },
    action: {
      cluster: route.action.cluster,
      versions: Object.fromEntries(route.action.versions.map((v) => [v.version, v.weight])),
      timeout: formatDuration(route.action.timeoutMs),
    },
  };
}

function productOperation(endpoint: ProductEndpoint, table: RouteTable): Operation {
  const routes = routesReaching(endpoint, table);
  const parameters: Parameter[] = [];
  if (endpoint.versioned) {
    parameters.push({ name: 'version', in: 'path', required: true, description: 'API version.', schema: { type: 'string', enum: pathVersions(endpoint, table) } });
  }
  parameters.push(
    { name: 'id', in: 'path', required: true, description: 'Decimal product id.', schema: { type: 'string', pattern: '^[0-9]{1,18}$' } },
    { name: 'x-api-version', in: 'header', description: 'Requested API version; routes may match on it.', schema: { type: 'string', pattern: '^v[0-9]{1,3}$' } },
    { name: 'x-request-id', in: 'header', description: 'Correlation id, echoed and passed to every hop.', schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' } },
    { name: 'traceparent', in: 'header', description: 'W3C trace context, continued through every hop.', schema: { type: 'string' } },
  );
  const lines = routes.map((r) => {
    const d = describeRoute(r.config);
    const versions = Object.entries(d.action.versions).map(([v, w]) => (r.versions.length > 1 ? `${v} (weight ${w})` : v));
    const conditions = [d.match.path, ...(d.match.headers ?? [])].filter(Boolean).join(', ');
    return `- \`${r.name}\`: ${conditions || 'any request'} -> ${d.action.cluster} at ${versions.join(', ')}, timeout ${d.action.timeout}`;
  });
  return {
    operationId: endpoint.operationId,
    summary: endpoint.summary,
    description: `Routes, first match wins:\n${lines.join('\n') || '(none: every request is a 404)'}`,
    tags: ['products'],
    parameters,
    responses: {
      '200': { description: 'The product.', content: json(ref('Product')) },
      ...Object.fromEntries(Object.entries(ERROR_STATUS).map(([status, name]) => [status, errorRef(name)])),
    },
    'x-zonemesh-routes': routes.map((r) => r.name),
  };
}

function plainOperation(operationId: string, summary: string, schema: JsonSchema, contentType = 'application/json'): PathItem {
  return { get: { operationId, summary, tags: ['operations'], responses: { '200': { description: summary, content: { [contentType]: { schema } } } } } };
}

/**
 * The gateway's OpenAPI 3.1 document, written from the route table: each
 * product operation lists the routes that can serve it (and the versions
 * its `{version}` segment may take), and the whole table is attached as
 * `x-zonemesh-routes`. Built once at start-up; nothing here is hand-kept.
 */
export function buildOpenApiDocument(table: RouteTable, version = '0.1.0'): OpenApiDocument {
  const paths: Record<string, PathItem> = {};
  for (const endpoint of PRODUCT_ENDPOINTS) paths[endpoint.path] = { get: productOperation(endpoint, table) };
  paths['/healthz'] = plainOperation('health', 'Liveness of the gateway.', {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string' }, instance: { type: 'string' }, zone: { type: 'string' } },
  });
  paths['/admin/clusters'] = plainOperation('clusters', "Every upstream cluster's endpoints with zone, health and outlier state.", { type: 'object' });
  paths['/metrics'] = plainOperation('metrics', 'Prometheus metrics.', { type: 'string' }, 'text/plain');
  const responses: Record<string, Response> = {};
  for (const [name, description] of Object.entries(ERRORS)) responses[name] = { description, content: json(ref('Error')) };
  return {
    openapi: '3.1.0',
    info: {
      title: 'zonemesh gateway',
      version,
      description: 'REST edge of the zonemesh mesh. Requests are matched against the route table (mesh.yaml `routes:`) in order; the first match picks the API version the upstream call carries.',
    },
    paths,
    components: { schemas: SCHEMAS, responses },
    'x-zonemesh-routes': table.routes.map((r) => describeRoute(r.config)),
  };
}
