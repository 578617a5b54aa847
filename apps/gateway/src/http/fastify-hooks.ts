import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { HttpServerMetrics } from '@zonemesh/telemetry';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a caller's x-request-id when it is sane, else makes one: every answer and hop carries it. */
export function requestId(header: string | string[] | undefined): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * Every answer carries its request id and is counted by route pattern
 * (never the raw URL: bounded labels). Unknown routes reach Nest's not-found
 * handler, so the global filter gives them the same JSON error shape.
 */
export function installHttpHooks(app: FastifyInstance, metrics: HttpServerMetrics): void {
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observe(route, request.method, reply.statusCode, reply.elapsedTime / 1000);
  });
}
