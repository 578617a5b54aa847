import type { ResolvedEndpoint } from '../endpoint.js';
import type { EndpointSourceTarget } from './endpoint-source.js';

const ALLOWED_PARAMS = ['zones', 'ids'];
/** `md.version=v1,v2` gives every endpoint, in order, a metadata entry `version`. */
const METADATA_PREFIX = 'md.';

/**
 * Parses the target of `static:///127.0.0.1:5001,[::1]:5002?zones=zone-a,zone-b&ids=a,b`
 * into endpoints. `zones` and `ids` are optional but, when given, name every
 * endpoint in order (an empty zone means "no zone"); ids default to `host:port`.
 * `md.<key>=a,b` sets metadata `<key>` per endpoint (e.g. `md.version=v1,v2`,
 * `md.weight=1,3`; an empty value leaves the key out).
 * Throws an Error naming the offending entry: a bad static target is a
 * configuration mistake that should stop the caller at start-up.
 */
export function parseStaticTarget(target: EndpointSourceTarget): ResolvedEndpoint[] {
  const fail = (reason: string): never => {
    const query = target.query.toString();
    throw new Error(`invalid static target "static:///${target.path}${query ? `?${query}` : ''}": ${reason}`);
  };
  for (const key of target.query.keys()) {
    if (!ALLOWED_PARAMS.includes(key) && !(key.startsWith(METADATA_PREFIX) && key.length > METADATA_PREFIX.length)) fail(`unknown parameter "${key}" (known: ${ALLOWED_PARAMS.join(', ')}, md.<key>)`);
  }
  if (target.path.trim() === '') fail('expected a comma-separated list of host:port');
  const addresses = target.path.split(',').map((entry, index) => {
    const parsed = splitHostPort(entry.trim());
    if (typeof parsed === 'string') fail(`entry ${index + 1} "${entry}": ${parsed}`);
    return parsed as { host: string; port: number };
  });
  const zones = listParam(target.query, 'zones', addresses.length, fail);
  const ids = listParam(target.query, 'ids', addresses.length, fail);
  const metadataKeys = [...new Set([...target.query.keys()].filter((k) => k.startsWith(METADATA_PREFIX)))];
  const metadataLists = metadataKeys.map((k) => [k.slice(METADATA_PREFIX.length), listParam(target.query, k, addresses.length, fail)!] as const);

  const seenAddresses = new Set<string>();
  const seenIds = new Set<string>();
  return addresses.map(({ host, port }, index) => {
    const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    if (seenAddresses.has(address)) fail(`address ${address} is listed twice`);
    seenAddresses.add(address);
    const id = ids?.[index] || address;
    if (seenIds.has(id)) fail(`id "${id}" is used twice`);
    seenIds.add(id);
    const metadata: Record<string, string> = {};
    for (const [key, values] of metadataLists) if (values[index]) metadata[key] = values[index];
    return { id, host, port, zone: zones?.[index] || undefined, metadata };
  });
}

function listParam(query: URLSearchParams, name: string, expected: number, fail: (reason: string) => never): string[] | undefined {
  const values = query.getAll(name);
  if (values.length === 0) return undefined;
  if (values.length > 1) fail(`parameter "${name}" is given ${values.length} times`);
  const list = values[0].split(',').map((v) => v.trim());
  if (list.length !== expected) fail(`"${name}" lists ${list.length} value(s) for ${expected} endpoint(s)`);
  return list;
}

/** `host:port` or `[v6]:port`; returns the reason as a string when malformed. */
function splitHostPort(entry: string): { host: string; port: number } | string {
  let host: string;
  let portText: string;
  if (entry.startsWith('[')) {
    const end = entry.indexOf(']');
    if (end < 0 || entry[end + 1] !== ':') return 'expected [ipv6]:port';
    host = entry.slice(1, end);
    portText = entry.slice(end + 2);
  } else {
    const colon = entry.lastIndexOf(':');
    if (colon < 0) return 'missing port (expected host:port)';
    host = entry.slice(0, colon);
    portText = entry.slice(colon + 1);
    if (host.includes(':')) return 'IPv6 addresses must be written in brackets: [::1]:5001';
  }
  if (host === '') return 'missing host (expected host:port)';
  if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65_535) {
    return `port "${portText}" is not a number from 1 to 65535`;
  }
  return { host, port: Number(portText) };
}
