import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { HTTP_METHOD, HTTP_REQUEST_METHOD, HTTP_RESPONSE_STATUS_CODE, HTTP_ROUTE, HTTP_STATUS_CODE } from '@zonemesh/telemetry';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const spans = new WeakMap<FastifyRequest, Span>();

/**
 * One SERVER span per HTTP request, continuing the caller's traceparent and
 * named by route pattern (`GET /api/products/:id`, never the raw URL).
 * Install only when tracing is enabled; handlers reach the span through
 * requestTraceContext, since a Fastify hook cannot make it active for them.
 */
export function installTracingHooks(app: FastifyInstance, tracer: Tracer): void {
  app.addHook('onRequest', async (request) => {
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const route = request.routeOptions.url;
    const span = tracer.startSpan(
      route ? `${request.method} ${route}` : request.method,
      {
        kind: SpanKind.SERVER,
        attributes: { [HTTP_METHOD]: request.method, [HTTP_REQUEST_METHOD]: request.method, ...(route ? { [HTTP_ROUTE]: route } : {}) },
      },
      parent,
    );
    spans.set(request, span);
  });
  app.addHook('onResponse', async (request, reply) => {
    const span = spans.get(request);
    if (!span) return;
    spans.delete(request);
    span.setAttributes({ [HTTP_STATUS_CODE]: reply.statusCode, [HTTP_RESPONSE_STATUS_CODE]: reply.statusCode });
    // 4xx is the client's mistake, not a failure of this server (OTel HTTP conventions).
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  app.addHook('onRequestAbort', async (request) => {
    const span = spans.get(request);
    if (!span) return;
    spans.delete(request);
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'client closed the connection' });
    span.end();
  });
}

/** The context to run a request's upstream calls in: its server span when traced, else the active one. */
export function requestTraceContext(request: FastifyRequest): Context {
  const span = spans.get(request);
  return span ? trace.setSpan(context.active(), span) : context.active();
}
