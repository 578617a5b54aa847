import { isIP } from 'node:net';

/**
 * The load generator only ever targets this machine: a mistyped URL must not
 * turn a chaos run into a load test of someone else's server.
 */
export function assertLoopback(url: string): URL {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const loopback =
    host === 'localhost' || (isIP(host) === 4 && host.startsWith('127.')) || (isIP(host) === 6 && (host === '::1' || host === '0:0:0:0:0:0:0:1'));
  if (!loopback) throw new Error(`refusing to send load to ${parsed.host}: only loopback addresses (127.x, ::1, localhost) are allowed`);
  return parsed;
}
