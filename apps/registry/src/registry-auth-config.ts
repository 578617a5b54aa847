import { readFileSync } from 'node:fs';
import { AUTH_OFF, type RegistryAuthConfig } from './registry-auth.js';

/** A credential setting that is wrong; the message names the variable (never the password). */
export class RegistryAuthConfigError extends Error {}

export const REGISTRY_AUTH_USAGE =
  'auth env: ZONEMESH_REGISTRY_USERS (user:pass[,user:pass...]), ZONEMESH_REGISTRY_USERS_FILE (one user:pass a line),\n' +
  '  ZONEMESH_REGISTRY_PEER_CREDENTIALS (user:pass peers send and accept), ZONEMESH_REGISTRY_AUTH_READS (true: reads need a credential too)';

/** `user:pass`: a user without `:` and a password, both non-empty. */
function parseCredential(text: string, source: string): string {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) {
    throw new RegistryAuthConfigError(`${source}: expected user:pass (both non-empty), got an entry of ${text.length} characters`);
  }
  return text;
}

function parseList(text: string, source: string): string[] {
  return text
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && !entry.startsWith('#'))
    .map((entry) => parseCredential(entry, source));
}

function readUsersFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new RegistryAuthConfigError(`ZONEMESH_REGISTRY_USERS_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  // One credential a line: a password may contain commas here.
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => parseCredential(line, `ZONEMESH_REGISTRY_USERS_FILE (${path})`));
}

function parseBoolean(text: string | undefined, source: string): boolean {
  if (text === undefined || text === '') return false;
  if (/^(true|1|yes)$/i.test(text)) return true;
  if (/^(false|0|no)$/i.test(text)) return false;
  throw new RegistryAuthConfigError(`${source}: expected true or false, got "${text}"`);
}

/**
 * The registry's credentials from the environment (never from flags: a
 * password on the command line shows in `ps`). Nothing set: auth off.
 * With auth on and peers configured, the peer credential is required, or
 * replication between the registries would be refused.
 */
export function parseRegistryAuth(env: NodeJS.ProcessEnv, hasPeers: boolean): RegistryAuthConfig {
  const users = [
    ...(env.ZONEMESH_REGISTRY_USERS ? parseList(env.ZONEMESH_REGISTRY_USERS, 'ZONEMESH_REGISTRY_USERS') : []),
    ...(env.ZONEMESH_REGISTRY_USERS_FILE ? readUsersFile(env.ZONEMESH_REGISTRY_USERS_FILE) : []),
  ];
  const peerText = env.ZONEMESH_REGISTRY_PEER_CREDENTIALS?.trim();
  const peer = peerText ? parseCredential(peerText, 'ZONEMESH_REGISTRY_PEER_CREDENTIALS') : undefined;
  const protectReads = parseBoolean(env.ZONEMESH_REGISTRY_AUTH_READS, 'ZONEMESH_REGISTRY_AUTH_READS');
  if (users.length === 0 && peer === undefined) {
    if (protectReads) throw new RegistryAuthConfigError('ZONEMESH_REGISTRY_AUTH_READS: needs ZONEMESH_REGISTRY_USERS or ZONEMESH_REGISTRY_USERS_FILE');
    return AUTH_OFF;
  }
  if (hasPeers && peer === undefined) {
    throw new RegistryAuthConfigError('ZONEMESH_REGISTRY_PEER_CREDENTIALS: required when users are set and the registry has peers');
  }
  return { users, peer, protectReads };
}
