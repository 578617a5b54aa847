import { redactUrl } from '@zonemesh/discovery';
import { REGISTRY_PROFILES, type RegistryProfileName } from './registry-profile.js';
import type { RegistryAuthConfig } from './registry-auth.js';
import { LIMIT_VARIABLES, type RegistryLimits, parseRegistryLimits } from './registry-limits.js';
import { type HttpServerLimits, httpServerLimits } from '@zonemesh/runtime/http-server-limits';
import { REGISTRY_AUTH_USAGE, RegistryAuthConfigError, parseRegistryAuth } from './registry-auth-config.js';

/** The registry process configuration, validated once at start-up. */
export interface RegistryConfig {
  readonly zone: string;
  readonly host: string;
  readonly port: number;
  /** Peer registries' Eureka base URLs (e.g. `http://127.0.0.1:8762/eureka`), for replication. */
  readonly peers: readonly string[];
  readonly profile: RegistryProfileName;
  readonly auth: RegistryAuthConfig;
  readonly limits: RegistryLimits;
  readonly httpLimits: HttpServerLimits;
}

/** A configuration value that is wrong; the message names the flag or variable. */
export class RegistryConfigError extends Error {}

export const REGISTRY_USAGE =
  'usage: registry [--zone <name>] [--port <n>] [--host <addr>] [--peer <url>]... [--profile fast|eureka]\n' +
  'env: ZONEMESH_ZONE, ZONEMESH_PORT, ZONEMESH_HOST, ZONEMESH_REGISTRY_PEERS (comma-separated), ZONEMESH_REGISTRY_PROFILE\n' +
  REGISTRY_AUTH_USAGE +
  `\nlimits env: ${Object.values(LIMIT_VARIABLES).join(', ')}, ZONEMESH_HTTP_IDLE_TIMEOUT, ZONEMESH_HTTP_MAX_CONNECTIONS`;

const DEFAULTS = { zone: 'zone-a', host: '127.0.0.1', port: 8761, profile: 'fast' as RegistryProfileName };

interface RawValue {
  readonly value: string;
  /** `--port` or `ZONEMESH_PORT`: where the value came from, for error messages. */
  readonly source: string;
}

function parseFlags(argv: readonly string[]): { single: Map<string, RawValue>; peers: RawValue[] | undefined } {
  const single = new Map<string, RawValue>();
  let peers: RawValue[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const match = /^--(zone|port|host|peer|profile)(?:=(.*))?$/.exec(arg);
    if (match === null) throw new RegistryConfigError(`unknown argument "${arg}" (expected --zone, --port, --host, --peer or --profile)`);
    const name = match[1];
    let value = match[2];
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new RegistryConfigError(`--${name}: missing value`);
    }
    const raw = { value, source: `--${name}` };
    if (name === 'peer') (peers ??= []).push(raw);
    else single.set(name, raw);
  }
  return { single, peers };
}

function parsePort(raw: RawValue): number {
  const port = Number(raw.value);
  if (!/^\d+$/.test(raw.value.trim()) || port > 65_535) {
    throw new RegistryConfigError(`${raw.source}: expected a port number 0-65535, got "${raw.value}"`);
  }
  return port;
}

function parseZone(raw: RawValue): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(raw.value)) {
    throw new RegistryConfigError(`${raw.source}: expected a zone name like "zone-a", got "${raw.value}"`);
  }
  return raw.value;
}

function parsePeer(raw: RawValue): string {
  let url: URL;
  try {
    url = new URL(raw.value);
  } catch {
    throw new RegistryConfigError(`${raw.source}: expected an http(s) URL like "http://127.0.0.1:8762/eureka", got "${redactUrl(raw.value)}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RegistryConfigError(`${raw.source}: expected an http(s) URL, got "${redactUrl(raw.value)}"`);
  }
  return raw.value.replace(/\/+$/, '');
}

function parseProfile(raw: RawValue): RegistryProfileName {
  if (!(REGISTRY_PROFILES as readonly string[]).includes(raw.value)) {
    throw new RegistryConfigError(`${raw.source}: expected one of ${REGISTRY_PROFILES.join(', ')}, got "${raw.value}"`);
  }
  return raw.value as RegistryProfileName;
}

/** Flags win over environment variables, which win over defaults. */
export function parseRegistryConfig(argv: readonly string[], env: NodeJS.ProcessEnv): RegistryConfig {
  const { single, peers: flagPeers } = parseFlags(argv);
  const pick = (flag: string, envName: string): RawValue | undefined => {
    const fromFlag = single.get(flag);
    if (fromFlag !== undefined) return fromFlag;
    const fromEnv = env[envName];
    return fromEnv !== undefined && fromEnv !== '' ? { value: fromEnv, source: envName } : undefined;
  };
  const zone = pick('zone', 'ZONEMESH_ZONE');
  const host = pick('host', 'ZONEMESH_HOST');
  const port = pick('port', 'ZONEMESH_PORT');
  const profile = pick('profile', 'ZONEMESH_REGISTRY_PROFILE');
  const envPeers = env.ZONEMESH_REGISTRY_PEERS;
  const peers =
    flagPeers ??
    (envPeers === undefined
      ? []
      : envPeers
          .split(',')
          .map((p) => p.trim())
          .filter((p) => p !== '')
          .map((value) => ({ value, source: 'ZONEMESH_REGISTRY_PEERS' })));
  const parsedPeers = peers.map(parsePeer);
  let auth: RegistryAuthConfig;
  try {
    auth = parseRegistryAuth(env, parsedPeers.length > 0);
  } catch (error) {
    if (error instanceof RegistryAuthConfigError) throw new RegistryConfigError(error.message);
    throw error;
  }
  let limits: RegistryLimits;
  let httpLimits: HttpServerLimits;
  try {
    limits = parseRegistryLimits(env);
    httpLimits = httpServerLimits(env);
  } catch (error) {
    // Both name the variable in their message.
    throw new RegistryConfigError((error as Error).message);
  }
  if (host !== undefined && host.value.trim() === '') throw new RegistryConfigError(`${host.source}: must not be empty`);
  return {
    zone: zone === undefined ? DEFAULTS.zone : parseZone(zone),
    host: host?.value ?? DEFAULTS.host,
    port: port === undefined ? DEFAULTS.port : parsePort(port),
    peers: parsedPeers,
    profile: profile === undefined ? DEFAULTS.profile : parseProfile(profile),
    auth,
    limits,
    httpLimits,
  };
}
