import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** A host and port as split from a `host:port` string. */
export interface HostPort {
  host: string;
  port: number;
}

/** Where to bind, and how Toxiproxy (Go) reports the bound address. */
export interface ListenTarget {
  /** Address to pass to net.Server#listen; '::' for the dual-stack wildcard. */
  bindHost: string;
  port: number;
  /** Wildcard binds are reported as `[::]:port`, like Go's dual-stack listener. */
  wildcard: boolean;
  /** The address as Go names it in bind errors (`listen tcp <this>: bind: ...`). */
  display: string;
}

/** An address that cannot be used; `message` matches Go's net error text. */
export class AddressError extends Error {}

/** Split like Go's net.SplitHostPort: `host:port`, `[v6]:port` or `:port`. */
export function splitHostPort(address: string): { host: string; port: string } {
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    if (close < 0) throw new AddressError(`address ${address}: missing ']' in address`);
    if (address[close + 1] !== ':') throw new AddressError(`address ${address}: missing port in address`);
    return { host: address.slice(1, close), port: address.slice(close + 2) };
  }
  const colon = address.lastIndexOf(':');
  if (colon < 0) throw new AddressError(`address ${address}: missing port in address`);
  const host = address.slice(0, colon);
  if (host.includes(':')) throw new AddressError(`address ${address}: too many colons in address`);
  return { host, port: address.slice(colon + 1) };
}

function parsePort(address: string, port: string): number {
  const value = Number(port);
  if (port === '') return 0;
  if (!/^\d+$/.test(port) || value > 65535) throw new AddressError(`address ${address}: invalid port`);
  return value;
}

/** Parse an upstream `host:port` for dialing. */
export function parseUpstream(address: string): HostPort {
  const { host, port } = splitHostPort(address);
  return { host: host === '' ? 'localhost' : host, port: parsePort(address, port) };
}

/** Resolve a proxy's `listen` the way Go's net.Listen("tcp", listen) would. */
export async function resolveListen(listen: string): Promise<ListenTarget> {
  // An empty listen address means "any interface, any port" to Go.
  const { host, port: portText } = splitHostPort(listen === '' ? ':0' : listen);
  const port = parsePort(listen, portText);
  if (host === '' || host === '0.0.0.0' || host === '::') {
    return { bindHost: '::', port, wildcard: true, display: listen };
  }
  if (isIP(host)) return { bindHost: host, port, wildcard: false, display: joinHostPort(host, port) };
  // Go listens on the first IPv4 address of a name ("localhost" -> 127.0.0.1).
  const address = await lookupPreferIpv4(host);
  return { bindHost: address, port, wildcard: false, display: joinHostPort(address, port) };
}

async function lookupPreferIpv4(host: string): Promise<string> {
  try {
    const addresses = await lookup(host, { all: true });
    const chosen = addresses.find((a) => a.family === 4) ?? addresses[0];
    if (chosen) return chosen.address;
  } catch {
    // fall through to Go's wording
  }
  throw new AddressError(`lookup ${host}: no such host`);
}

/** `host:port`, bracketing IPv6 literals. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
