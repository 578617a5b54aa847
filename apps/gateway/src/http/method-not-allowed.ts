import type { FastifyInstance } from 'fastify';
import { errorBody } from '../errors/api-error.js';

const OTHER_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * Remembers every GET route as it is registered, so that, once Nest has
 * registered its controllers, each can be given a sibling answering the
 * other methods with 405 and `Allow` instead of a misleading 404. Install
 * before the application initialises; call the returned function after.
 */
export function collectGetRoutes(app: FastifyInstance): () => void {
  const urls = new Set<string>();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.includes('GET')) urls.add(route.url);
  });
  return () => {
    for (const url of urls) {
      app.route({
        method: [...OTHER_METHODS],
        url,
        // A body over the limit is refused (413) before this runs, like any other.
        handler: async (request, reply) =>
          reply
            .status(405)
            .header('allow', 'GET, HEAD')
            .send(errorBody('METHOD_NOT_ALLOWED', `${request.method} is not allowed here (allowed: GET, HEAD)`, String(request.id))),
      });
    }
  };
}
