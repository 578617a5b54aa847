import type { ResolvedEndpoint } from '@zonemesh/lb';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Eureka writes one-element lists as arrays, older servers (and XML-to-JSON bridges) as a bare object. */
function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

function portOf(value: unknown): number | undefined {
  const raw = isObject(value) ? value.$ : value;
  const port = typeof raw === 'string' ? Number(raw) : raw;
  return typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65_536 ? port : undefined;
}

function metadataOf(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!isObject(value)) return result;
  for (const [key, raw] of Object.entries(value)) {
    if (key !== '@class' && (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean')) {
      result[key] = String(raw);
    }
  }
  return result;
}

/** An instance's address, port, id, zone and metadata; undefined when it has no usable address or port. */
export function decodeInstanceEndpoint(instance: unknown): ResolvedEndpoint | undefined {
  if (!isObject(instance)) return undefined;
  const host = [instance.ipAddr, instance.hostName].find((h): h is string => typeof h === 'string' && h !== '');
  const port = portOf(instance.port);
  const id = typeof instance.instanceId === 'string' && instance.instanceId !== '' ? instance.instanceId : host;
  if (host === undefined || port === undefined || id === undefined) return undefined;
  const metadata = metadataOf(instance.metadata);
  return { id, host, port, zone: metadata.zone, metadata };
}

/**
 * Maps a `GET /apps/{APP}` JSON body to the UP instances as endpoints, sorted
 * by id so equal registries give equal lists. Instances without a usable
 * address or port are skipped rather than failing the whole list.
 */
export function decodeAppEndpoints(body: unknown): ResolvedEndpoint[] {
  const application = isObject(body) ? body.application : undefined;
  if (!isObject(application)) throw new Error('expected {"application":{...}}');
  const endpoints: ResolvedEndpoint[] = [];
  for (const instance of asArray(application.instance)) {
    if (!isObject(instance) || instance.status !== 'UP') continue;
    const endpoint = decodeInstanceEndpoint(instance);
    if (endpoint !== undefined) endpoints.push(endpoint);
  }
  return endpoints.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
