import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors/api-error.js';

/** Longer query strings are refused: no endpoint takes parameters, so a long one is noise or an attack. */
export const MAX_QUERY_LENGTH = 1024;

/** Why a query string is refused, or undefined when it is acceptable. */
export function queryProblem(url: string): string | undefined {
  const q = url.indexOf('?');
  if (q === -1) return undefined;
  const query = url.slice(q + 1);
  if (query.length > MAX_QUERY_LENGTH) return `query string longer than ${MAX_QUERY_LENGTH} characters`;
  try {
    decodeURIComponent(query.replace(/\+/g, ' '));
  } catch {
    return 'query string is not valid percent-encoding';
  }
  return undefined;
}

/**
 * Refusals every endpoint shares, before any handler or upstream call:
 * - an HTTP/1.1 request without Host (Node's own check answers with an
 *   empty body, so it is turned off in favour of this JSON one);
 * - a malformed or overlong query string. A well-formed one is ignored
 *   (cache busters are fine).
 */
export function installRequestGuards(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (request.raw.httpVersion === '1.1' && request.headers.host === undefined) {
      throw new ApiError(400, 'INVALID_ARGUMENT', 'an HTTP/1.1 request needs a Host header');
    }
    const problem = queryProblem(request.url);
    if (problem !== undefined) throw new ApiError(400, 'INVALID_ARGUMENT', problem);
  });
}
