import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The registry credentials of a local mesh: `user` (`user:pass`) is what
 * people and every caller write with; `peer` is what the registries
 * replicate with, never handed to a caller.
 */
export interface RegistryCredentials {
  readonly user: string;
  readonly peer: string;
}

const secret = (): string => randomBytes(18).toString('base64url');

/** A fresh pair: URL-safe passwords, so `user:pass@` URLs need no escaping. */
export function generateRegistryCredentials(): RegistryCredentials {
  return { user: `zonemesh:${secret()}`, peer: `zonemesh-peer:${secret()}` };
}

/**
 * The user credential from `path` (one `user:pass` line, what
 * `curl -u "$(cat path)"` takes), created with mode 0600 when missing or
 * unreadable as such, so scripts keep working across restarts. The peer
 * credential is new on every start: only the registries of this run share it.
 */
export function loadOrCreateRegistryCredentials(path: string): RegistryCredentials {
  const fresh = generateRegistryCredentials();
  let user: string | undefined;
  try {
    const text = readFileSync(path, 'utf8').trim();
    if (/^[A-Za-z0-9_.-]+:[A-Za-z0-9_-]{16,}$/.test(text)) user = text;
  } catch {
    // Missing: written below.
  }
  if (user === undefined) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${fresh.user}\n`, { mode: 0o600 });
    user = fresh.user;
  }
  // An existing file keeps its content; its mode is tightened all the same.
  chmodSync(path, 0o600);
  return { user, peer: fresh.peer };
}

/** `url` with `credential` as its user info, for callers' registry URLs. */
export function withCredential(url: string, credential: string): string {
  const colon = credential.indexOf(':');
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(credential.slice(0, colon));
  parsed.password = encodeURIComponent(credential.slice(colon + 1));
  // URL keeps a path as written; only a bare origin would gain a trailing slash.
  return parsed.pathname === '/' && !url.endsWith('/') ? parsed.href.replace(/\/$/, '') : parsed.href;
}
