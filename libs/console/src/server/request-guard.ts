import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || (isIP(h) === 4 && h.startsWith('127.')) || h === '::1';
}

/**
 * Why a request must be refused, or undefined. The console can break the
 * mesh, so it answers only requests addressed to a name it knows: on loopback
 * a loopback name, elsewhere the `allowedHosts` it was given (a DNS-rebinding
 * page cannot reach it through its own host name). Every action must be a
 * same-origin JSON POST (a form or script on another site cannot send one
 * without a CORS preflight, which is never granted).
 */
export function refusal(req: IncomingMessage, listenHost: string, allowedHosts?: readonly string[]): string | undefined {
  const hostHeader = req.headers.host ?? '';
  const hostname = hostHeader.replace(/:\d+$/, '').replace(/^\[|\]$/g, '').toLowerCase();
  if (allowedHosts !== undefined && allowedHosts.length > 0) {
    if (!allowedHosts.some((name) => name.toLowerCase().replace(/^\[|\]$/g, '') === hostname)) {
      return `host ${JSON.stringify(hostHeader)} is not one of the console's names (${allowedHosts.join(', ')})`;
    }
  } else if (isLoopbackHost(listenHost) && !isLoopbackHost(hostname)) {
    return `host ${JSON.stringify(hostHeader)} is not a loopback name`;
  }
  if (req.method === 'POST') {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return 'actions must be JSON (content-type: application/json)';
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${hostHeader}`) return `origin ${origin} may not act on this console`;
  }
  return undefined;
}
