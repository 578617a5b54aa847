import type { Metadata } from '@grpc/grpc-js';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { extractTraceContext } from './grpc-metadata-propagation.js';
import { callbackStatus, wrapUnaryHandlers, type ServiceAdder, type UnaryCallback, type UnaryHandler } from './grpc-unary-wrapper.js';
import { RPC_GRPC_STATUS_CODE, RPC_METHOD, RPC_SERVICE, RPC_SYSTEM, rpcNames, ZONEMESH_INSTANCE, ZONEMESH_ZONE } from './trace-attributes.js';

/** What server spans are made with and labelled by. */
export interface GrpcServerTracingOptions {
  readonly tracer: Tracer;
  readonly zone: string;
  readonly instance: string;
}

// Server-side, only these mean the server failed (OTel rpc conventions);
// NOT_FOUND or INVALID_ARGUMENT are the caller's business.
const SERVER_ERRORS = new Set([2, 4, 12, 13, 14, 15]); // UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS

/**
 * Gives every unary call a SERVER span, child of the traceparent in its
 * metadata, and keeps that span active while the handler runs — so
 * downstream calls the handler makes (forwardMetadata, the tracing client
 * interceptor) carry this hop's span, not the caller's. Like
 * instrumentGrpcServer: install it before the framework adds its services.
 */
export function traceGrpcServer(server: ServiceAdder, options: GrpcServerTracingOptions): void {
  wrapUnaryHandlers(server, (handler, path) => traceUnary(handler, path, options));
}

function traceUnary(handler: UnaryHandler, path: string, options: GrpcServerTracingOptions): UnaryHandler {
  const { service, method, name } = rpcNames(path);
  const attributes = {
    [RPC_SYSTEM]: 'grpc',
    [RPC_SERVICE]: service,
    [RPC_METHOD]: method,
    [ZONEMESH_INSTANCE]: options.instance,
    [ZONEMESH_ZONE]: options.zone,
  };
  return (call, callback) => {
    const metadata = (call as { metadata?: Metadata }).metadata;
    const parent = metadata ? extractTraceContext(metadata) : ROOT_CONTEXT;
    const span = options.tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
    let done = false;
    const finish: UnaryCallback = (error, ...rest) => {
      if (!done) {
        done = true;
        const code = callbackStatus(error);
        span.setAttribute(RPC_GRPC_STATUS_CODE, code);
        if (SERVER_ERRORS.has(code)) {
          const message = typeof error?.details === 'string' ? error.details : typeof error?.message === 'string' ? error.message : undefined;
          span.setStatus({ code: SpanStatusCode.ERROR, ...(message ? { message } : {}) });
        }
        span.end();
      }
      callback(error, ...rest);
    };
    return context.with(trace.setSpan(parent, span), () => handler(call, finish));
  };
}
