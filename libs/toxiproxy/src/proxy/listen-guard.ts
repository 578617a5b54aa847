import { ApiError } from '../api-error.js';
import type { ListenTarget } from './listen-address.js';

/** Throws when a proxy may not listen where it asks to. */
export type ListenGuard = (target: ListenTarget) => void;

const isLoopback = (host: string): boolean => host === '::1' || /^127\./.test(host) || host === 'localhost';

/**
 * The fault proxy relays to any upstream, so a proxy listening beyond
 * loopback is an open relay into the mesh for anyone who reaches the host.
 * By default a proxy may listen on loopback or on the exact address the admin
 * API was told to use; a wildcard or any other address needs
 * `allowRemoteListen` (compose, whose proxies serve other containers).
 * The real Toxiproxy has no such rule: everything else of the API is its own.
 */
export function listenGuard(apiHost: string, allowRemoteListen: boolean): ListenGuard {
  return (target) => {
    if (allowRemoteListen) return;
    if (!target.wildcard && (isLoopback(target.bindHost) || target.bindHost === apiHost)) return;
    throw new ApiError(
      `listen ${target.display}: refused, the fault proxy listens on loopback${isLoopback(apiHost) || apiHost === '0.0.0.0' || apiHost === '::' ? '' : ` or ${apiHost}`} only (start it with --allow-remote-listen to allow other addresses)`,
      403,
    );
  };
}
