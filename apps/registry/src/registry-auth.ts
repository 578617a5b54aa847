import { CredentialDigest, presentedCredential } from '@zonemesh/discovery';

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

/** True when `config` turns authentication on: any user or a peer credential. */
export function authEnabled(config: RegistryAuthConfig): boolean {
  return config.users.length > 0 || config.peer !== undefined;
}

/**
 * Checks `Authorization` headers against the configured credentials. Each
 * credential is compared through its SHA-256 digest with timingSafeEqual,
 * and every configured credential is compared on every call, so neither the
 * length nor the position of a match shows in the answer time.
 */
export class RegistryAuthenticator {
  private readonly users: readonly CredentialDigest[];
  private readonly peer: CredentialDigest | undefined;

  constructor(readonly config: RegistryAuthConfig) {
    this.users = config.users.map((user) => CredentialDigest.of(user));
    this.peer = config.peer === undefined ? undefined : CredentialDigest.of(config.peer);
  }

  get enabled(): boolean {
    return authEnabled(this.config);
  }

  identify(header: string | undefined): RegistryCaller {
    const presented = presentedCredential(header);
    if (presented === undefined) return 'anonymous';
    const candidate = CredentialDigest.of(presented);
    let user = false;
    for (const known of this.users) user = known.equals(candidate) || user;
    const peer = this.peer !== undefined && this.peer.equals(candidate);
    return peer ? 'peer' : user ? 'user' : 'anonymous';
  }
}
