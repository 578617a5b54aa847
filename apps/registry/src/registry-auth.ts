import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Who may change the registry. Eureka itself has no authentication; Spring
 * Cloud Netflix users put HTTP Basic in front of it and configure clients
 * with `http://user:pass@host:8761/eureka/`, which eureka-js-client and
 * Spring's DiscoveryClient turn into an `Authorization: Basic` header. This
 * registry checks that header itself.
 */
export interface RegistryAuthConfig {
  /** `user:pass` pairs allowed to write (register, renew, cancel, override status, update metadata). */
  readonly users: readonly string[];
  /** The `user:pass` peer registries send; it may also write, and only it may replicate. */
  readonly peer: string | undefined;
  /** Reads need a credential too (Eureka leaves them open; so do we by default). */
  readonly protectReads: boolean;
}

export const AUTH_OFF: RegistryAuthConfig = { users: [], peer: undefined, protectReads: false };

/** The caller a request authenticated as. `anonymous` when it sent no or a wrong credential. */
export type RegistryCaller = 'anonymous' | 'user' | 'peer';

export const AUTH_REALM = 'zonemesh';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** True when `config` turns authentication on: any user or a peer credential. */
export function authEnabled(config: RegistryAuthConfig): boolean {
  return config.users.length > 0 || config.peer !== undefined;
}

/** The `Authorization` header value for a `user:pass` credential. */
export function basicAuthorization(credential: string): string {
  return `Basic ${Buffer.from(credential, 'utf8').toString('base64')}`;
}

/**
 * Checks `Authorization` headers against the configured credentials. Each
 * credential is compared through its SHA-256 digest with timingSafeEqual,
 * and every configured credential is compared on every call, so neither the
 * length nor the position of a match shows in the answer time.
 */
export class RegistryAuthenticator {
  private readonly users: readonly Buffer[];
  private readonly peer: Buffer | undefined;

  constructor(readonly config: RegistryAuthConfig) {
    this.users = config.users.map(digest);
    this.peer = config.peer === undefined ? undefined : digest(config.peer);
  }

  get enabled(): boolean {
    return authEnabled(this.config);
  }

  identify(header: string | undefined): RegistryCaller {
    const presented = decodeBasic(header);
    if (presented === undefined) return 'anonymous';
    const candidate = digest(presented);
    let user = false;
    for (const known of this.users) user = timingSafeEqual(known, candidate) || user;
    const peer = this.peer !== undefined && timingSafeEqual(this.peer, candidate);
    return peer ? 'peer' : user ? 'user' : 'anonymous';
  }
}

/** `user:pass` from `Basic base64(user:pass)`; undefined for any other scheme or a malformed value. */
function decodeBasic(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Basic\s+([A-Za-z0-9+/=]{1,4096})\s*$/i.exec(header);
  if (match === null) return undefined;
  const text = Buffer.from(match[1], 'base64').toString('utf8');
  return text.includes(':') ? text : undefined;
}
