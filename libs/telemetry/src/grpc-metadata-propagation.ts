import type { Metadata } from '@grpc/grpc-js';
import { context, isSpanContextValid, propagation, ROOT_CONTEXT, trace, type Context, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';

/** The W3C trace-context keys, as they travel in gRPC metadata and HTTP headers. */
export const TRACE_CONTEXT_KEYS: readonly string[] = Object.freeze(['traceparent', 'tracestate']);

/** Reads propagation fields from grpc-js Metadata (string values only; binary `-bin` keys are skipped). */
export const metadataGetter: TextMapGetter<Metadata> = {
  keys: (carrier) => Object.keys(carrier.getMap()),
  get: (carrier, key) => {
    const values = carrier.get(key).filter((value): value is string => typeof value === 'string');
    if (values.length === 0) return undefined;
    return values.length === 1 ? values[0] : values;
  },
};

/** Writes propagation fields into grpc-js Metadata, replacing any value already there. */
export const metadataSetter: TextMapSetter<Metadata> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

/** Writes `ctx`'s span context (default: the active one) as traceparent/tracestate through the global propagator. */
export function injectTraceContext(metadata: Metadata, ctx: Context = context.active()): void {
  propagation.inject(ctx, metadata, metadataSetter);
}

/** The context carried by incoming metadata, on top of `ctx` (default: the root context). */
export function extractTraceContext(metadata: Metadata, ctx: Context = ROOT_CONTEXT): Context {
  return propagation.extract(ctx, metadata, metadataGetter);
}

/**
 * Writes the trace context a downstream call should carry into `outgoing`:
 * the span active in `ctx` when there is one (tracing on), otherwise the
 * caller's traceparent/tracestate unchanged (tracing off), so a trace begun
 * outside the mesh still connects across it.
 */
export function propagateTraceContext(outgoing: Metadata, incoming: (key: string) => string | undefined, ctx: Context = context.active()): void {
  for (const key of TRACE_CONTEXT_KEYS) outgoing.remove(key);
  const spanContext = trace.getSpanContext(ctx);
  if (spanContext !== undefined && isSpanContextValid(spanContext)) {
    injectTraceContext(outgoing, ctx);
    return;
  }
  for (const key of TRACE_CONTEXT_KEYS) {
    const value = incoming(key);
    if (value) outgoing.set(key, value);
  }
}
