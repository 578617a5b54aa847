import { InterceptingCall, status, type Interceptor } from '@grpc/grpc-js';
import { context, isSpanContextValid, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { injectTraceContext, TRACE_CONTEXT_KEYS } from './grpc-metadata-propagation.js';
import { RPC_GRPC_STATUS_CODE, RPC_METHOD, RPC_SERVICE, RPC_SYSTEM, rpcNames, ZONEMESH_TRACER } from './trace-attributes.js';

/**
 * A grpc-js client interceptor that wraps each call made inside an active
 * span in a CLIENT span and sends that span's context as
 * traceparent/tracestate, replacing whatever the metadata carried. Calls
 * made outside any trace (tracing off, background probes) pass straight
 * through (an InterceptingCall with no hooks), so installing it everywhere
 * costs a context lookup and one small object per call.
 * Put it in a client's options (`interceptors: [tracingClientInterceptor]`),
 * which NestJS's ClientGrpc takes through `channelOptions`.
 */
export const tracingClientInterceptor: Interceptor = (options, nextCall) => {
  const parent = context.active();
  const parentSpan = trace.getSpanContext(parent);
  if (parentSpan === undefined || !isSpanContextValid(parentSpan)) return new InterceptingCall(nextCall(options));

  const { service, method, name } = rpcNames(options.method_definition.path);
  const span = trace.getTracer(ZONEMESH_TRACER).startSpan(
    name,
    { kind: SpanKind.CLIENT, attributes: { [RPC_SYSTEM]: 'grpc', [RPC_SERVICE]: service, [RPC_METHOD]: method } },
    parent,
  );
  const callContext = trace.setSpan(parent, span);
  return new InterceptingCall(nextCall(options), {
    start: (metadata, listener, next) => {
      for (const key of TRACE_CONTEXT_KEYS) metadata.remove(key);
      injectTraceContext(metadata, callContext);
      next(metadata, {
        onReceiveStatus: (received, nextStatus) => {
          span.setAttribute(RPC_GRPC_STATUS_CODE, received.code);
          // Client side every non-OK status is a failed call.
          if (received.code !== status.OK) span.setStatus({ code: SpanStatusCode.ERROR, message: received.details });
          span.end();
          nextStatus(received);
        },
      });
    },
  });
};
