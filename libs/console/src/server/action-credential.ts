import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Whether a console action carries the mesh's write credential. Once the
 * registry takes writes only with a credential, breaking the mesh from the
 * console needs the same one: `user:pass` as HTTP Basic. A browser asks for
 * it once (the 401 carries a Basic challenge) and sends it with every later
 * action. Compared as SHA-256 digests in constant time.
 */
export function hasActionCredential(req: IncomingMessage, credential: string): boolean {
  const header = req.headers.authorization ?? '';
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!match) return false;
  const given = Buffer.from(match[1]!, 'base64').toString('utf8');
  return timingSafeEqual(digest(given), digest(credential));
}

export const ACTION_CHALLENGE = 'Basic realm="zonemesh console", charset="UTF-8"';
