import type { IncomingMessage } from 'node:http';
import { CredentialDigest, presentedCredential } from '@zonemesh/discovery';

/**
 * Whether a console action carries the mesh's write credential. Once the
 * registry takes writes only with a credential, breaking the mesh from the
 * console needs the same one: `user:pass` as HTTP Basic, checked the way the
 * registry checks it. A browser asks for it once (the 401 carries a Basic
 * challenge) and sends it with every later action.
 */
export function hasActionCredential(req: IncomingMessage, credential: CredentialDigest): boolean {
  const presented = presentedCredential(req.headers.authorization);
  return presented !== undefined && credential.equals(CredentialDigest.of(presented));
}

export const ACTION_CHALLENGE = 'Basic realm="zonemesh console", charset="UTF-8"';
