import { Metadata } from '@grpc/grpc-js';
import { propagation, ROOT_CONTEXT, trace, TraceFlags, type SpanContext } from '@opentelemetry/api';
import { W3CTraceContextPropagator, TraceState } from '@opentelemetry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractTraceContext, injectTraceContext, propagateTraceContext } from './grpc-metadata-propagation.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

function contextWith(spanContext: SpanContext) {
  return trace.setSpanContext(ROOT_CONTEXT, spanContext);
}

describe('W3C trace context through grpc-js Metadata', () => {
  beforeAll(() => propagation.setGlobalPropagator(new W3CTraceContextPropagator()));
  afterAll(() => propagation.disable());

  it('injects traceparent/tracestate and extracts the same span context back', () => {
    const sent: SpanContext = { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED, traceState: new TraceState('zm=a,other=b') };
    const metadata = new Metadata();
    injectTraceContext(metadata, contextWith(sent));
    expect(metadata.get('traceparent')).toEqual([`00-${TRACE_ID}-${SPAN_ID}-01`]);
    expect(metadata.get('tracestate')).toEqual(['zm=a,other=b']);

    // Through the wire format, as a server would receive it.
    const received = trace.getSpanContext(extractTraceContext(Metadata.fromHttp2Headers(metadata.toHttp2Headers() as Record<string, string>)));
    expect(received).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED, isRemote: true });
    expect(received?.traceState?.serialize()).toBe('zm=a,other=b');
  });

  it('replaces a traceparent already in the metadata and keeps the unsampled flag', () => {
    const metadata = new Metadata();
    metadata.set('traceparent', `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01`);
    injectTraceContext(metadata, contextWith({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.NONE }));
    expect(metadata.get('traceparent')).toEqual([`00-${TRACE_ID}-${SPAN_ID}-00`]);
  });

  it('extracts nothing from absent or malformed traceparents', () => {
    expect(trace.getSpanContext(extractTraceContext(new Metadata()))).toBeUndefined();
    for (const bad of ['00-xyz-abc-01', `00-${'0'.repeat(32)}-${SPAN_ID}-01`, `00-${TRACE_ID}-${SPAN_ID}`]) {
      const metadata = new Metadata();
      metadata.set('traceparent', bad);
      expect(trace.getSpanContext(extractTraceContext(metadata)), bad).toBeUndefined();
    }
  });

  it('propagates the active span when there is one, the caller headers verbatim otherwise', () => {
    const incoming: Record<string, string> = { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`, tracestate: 'up=1' };
    const untraced = new Metadata();
    propagateTraceContext(untraced, (key) => incoming[key], ROOT_CONTEXT);
    expect(untraced.getMap()).toEqual(incoming);

    const traced = new Metadata();
    propagateTraceContext(traced, (key) => incoming[key], contextWith({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED }));
    expect(traced.getMap()).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` });
  });
});
