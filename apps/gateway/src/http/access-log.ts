import type { FastifyInstance, FastifyRequest } from 'fastify';
import pino, { type DestinationStream, type Logger } from 'pino';

/** What routing learnt about a request, for its access-log line. */
interface RoutedRequest {
  route: string;
  cluster: string;
  apiVersion: string;
  upstream?: string;
}

const routed = new WeakMap<FastifyRequest, RoutedRequest>();
const MAX_LOGGED_URL = 200;

/** Records the route a request took (called by the handler once the route table decided). */
export function noteRoute(request: FastifyRequest, route: string, cluster: string, apiVersion: string): void {
  routed.set(request, { route, cluster, apiVersion });
}

/** Records the upstream instance that answered (servedBy.catalog). */
export function noteUpstream(request: FastifyRequest, upstream: string): void {
  const entry = routed.get(request);
  if (entry) entry.upstream = upstream;
}

/**
 * A pino logger writing one JSON line per request to stdout, asynchronously
 * so a slow reader of stdout does not slow requests down.
 */
export function createAccessLogger(base: Record<string, string>, destination: DestinationStream = pino.destination({ dest: 1, sync: false })): Logger {
  return pino({ base, timestamp: pino.stdTimeFunctions.isoTime, messageKey: 'msg' }, destination);
}

/**
 * One line per answered request: route (the route-table entry, or null when
 * none was involved), cluster, upstream instance, status, duration and
 * request id; the endpoint is the route pattern and the URL is cut short,
 * so a hostile URL cannot flood the log.
 */
export function installAccessLog(app: FastifyInstance, logger: Logger): void {
  app.addHook('onResponse', async (request, reply) => {
    const entry = routed.get(request);
    logger.info(
      {
        requestId: String(request.id),
        method: request.method,
        endpoint: request.routeOptions.url ?? null,
        url: request.url.length > MAX_LOGGED_URL ? `${request.url.slice(0, MAX_LOGGED_URL)}...` : request.url,
        route: entry?.route ?? null,
        cluster: entry?.cluster ?? null,
        apiVersion: entry?.apiVersion ?? null,
        upstream: entry?.upstream ?? null,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
      },
      'access',
    );
  });
}
