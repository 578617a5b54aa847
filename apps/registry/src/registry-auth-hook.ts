import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AUTH_REALM, type RegistryAuthenticator } from './registry-auth.js';
import { REPLICATION_HEADER } from './replication/replication-action.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request comes from a peer registry: honour `x-netflix-discovery-replication` (set by the auth hook). */
    fromPeer: boolean;
  }
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sendUnauthorized(reply: FastifyReply, code: 401 | 403, message: string): FastifyReply {
  if (code === 401) reply.header('www-authenticate', `Basic realm="${AUTH_REALM}", charset="UTF-8"`);
  return reply
    .code(code)
    .type('application/json')
    .send(JSON.stringify({ error: code === 401 ? 'unauthorized' : 'forbidden', message }));
}

/**
 * Checks every request under `/eureka` before it reaches a route.
 * Auth off: anyone may write and the replication header is trusted, as in
 * plain Eureka. Auth on:
 * - writes need a user or the peer credential (401 without one);
 * - reads need one only with `protectReads`;
 * - `/peerreplication/*` and any request carrying the replication header
 *   need the peer credential: 401 without a credential, 403 with a user's.
 *   A forged header is refused rather than ignored, so a peer configured
 *   with the wrong credential fails loudly instead of looping replications.
 * `/metrics` stays outside (it has no registry data beyond counts).
 */
export function installRegistryAuth(app: FastifyInstance, auth: RegistryAuthenticator, onReject: (reason: 'unauthorized' | 'forbidden') => void): void {
  app.decorateRequest('fromPeer', false);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const claimsPeer = String(request.headers[REPLICATION_HEADER]).toLowerCase() === 'true';
    if (!auth.enabled) {
      request.fromPeer = claimsPeer;
      return;
    }
    if (!request.url.startsWith('/eureka')) return;
    const caller = auth.identify(request.headers.authorization);
    const peerOnly = claimsPeer || request.url.includes('/peerreplication/') || request.url.endsWith('/peerreplication');
    const write = !READ_METHODS.has(request.method);
    const needsCredential = peerOnly || write || auth.config.protectReads;
    if (needsCredential && caller === 'anonymous') {
      onReject('unauthorized');
      return sendUnauthorized(reply, 401, write ? 'registry writes need HTTP Basic credentials' : 'registry needs HTTP Basic credentials');
    }
    if (peerOnly && caller !== 'peer') {
      onReject('forbidden');
      return sendUnauthorized(reply, 403, `replication (${REPLICATION_HEADER} or /peerreplication) needs the peer credential`);
    }
    request.fromPeer = claimsPeer && caller === 'peer';
  });
}
