import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpServerMetrics } from '@zonemesh/telemetry';
import { errorBody } from '../errors/api-error.js';

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

/**
 * Errors Fastify's router raises before any handler runs (a URL that does
 * not decode, a path parameter over the length limit) answered in the
 * gateway's JSON error shape instead of Fastify's.
 */
export function frameworkErrors(error: Error & { statusCode?: number; code?: string }, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path segment is too long' : 'malformed URL';
  void reply.status(status).header('x-request-id', request.id).send(errorBody('INVALID_ARGUMENT', message, String(request.id)));
}
