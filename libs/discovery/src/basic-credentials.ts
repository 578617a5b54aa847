import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * HTTP Basic as this mesh uses it: the registry's write credential, sent by
 * every registry client and checked by the registry and the console.
 */

/** The `Authorization` header value for a `user:pass` credential. */
export function basicAuthorization(credential: string): string {
  return `Basic ${Buffer.from(credential, 'utf8').toString('base64')}`;
}

/** The `user:pass` a Basic header presents, or undefined for anything else. */
export function presentedCredential(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Basic\s+([A-Za-z0-9+/=]{1,4096})\s*$/i.exec(header);
  if (match === null) return undefined;
  const text = Buffer.from(match[1]!, 'base64').toString('utf8');
  return text.includes(':') ? text : undefined;
}

/**
 * A credential kept as its SHA-256 digest and compared with timingSafeEqual:
 * equal-length digests, so neither the length nor the first differing byte
 * of a guess shows in the answer time.
 */
export class CredentialDigest {
  private constructor(private readonly digest: Buffer) {}

  static of(credential: string): CredentialDigest {
    return new CredentialDigest(createHash('sha256').update(credential, 'utf8').digest());
  }

  equals(other: CredentialDigest): boolean {
    return timingSafeEqual(this.digest, other.digest);
  }
}
