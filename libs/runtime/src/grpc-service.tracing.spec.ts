import { Metadata, status, type ServerUnaryCall } from '@grpc/grpc-js';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Controller, Module } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { PRICING_CONTRACT, type GetPriceRequest__Output, type Price } from '@zonemesh/contracts';
import { startTracing, tracingClientInterceptor, type Tracing } from '@zonemesh/telemetry';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forwardMetadata } from './forwarded-metadata.js';
import { startGrpcService, type GrpcServiceHandle } from './grpc-service.bootstrap.js';
import { loadServiceEnv } from './service-env.js';
import { callUnary, contractClient, healthCheck } from './testing/index.js';
import { freePort, waitFor } from '@zonemesh/testing';

/** Answers with the traceparent a downstream call made from this handler would carry. */
@Controller()
class TraceEchoController {
  @GrpcMethod(PRICING_CONTRACT.service, 'GetPrice')
  async getPrice(request: GetPriceRequest__Output, metadata: Metadata, _call: ServerUnaryCall<unknown, unknown>): Promise<Price> {
    if (request.productId === 'boom') throw new Error('a bug');
    // After an await, as real handlers forward: the span must survive it.
    await new Promise((resolve) => setTimeout(resolve, 1));
    return { productId: request.productId, servedBy: String(forwardMetadata(metadata).get('traceparent')[0] ?? ''), version: 'v1' };
  }
}

@Module({ controllers: [TraceEchoController] })
class TraceEchoModule {}

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN_ID = 'b7ad6b7169203331';
const METHOD = 'zonemesh.pricing.v1.PricingService/GetPrice';

describe('startGrpcService with tracing', () => {
  let exporter: InMemorySpanExporter;
  let tracing: Tracing;
  let service: GrpcServiceHandle;

  beforeEach(async () => {
    exporter = new InMemorySpanExporter();
    tracing = startTracing({ service: 'pricing', zone: 'zone-b', instance: 'pricing-zone-b-1', version: 'v1', exporter });
    const env = loadServiceEnv({ ZONEMESH_SERVICE: 'pricing', ZONEMESH_ZONE: 'zone-b', ZONEMESH_PORT: String(await freePort()) });
    service = await startGrpcService({ module: TraceEchoModule, env, grpc: PRICING_CONTRACT, tracing });
  });

  afterEach(async () => {
    await service?.stop();
    await tracing?.shutdown();
  });

  const serverSpans = (): ReadableSpan[] => exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER);

  it('opens a SERVER span that continues the caller traceparent and is active in the handler', async () => {
    const client = contractClient(service.address, PRICING_CONTRACT);
    const metadata = new Metadata();
    metadata.set('traceparent', `00-${TRACE_ID}-${CALLER_SPAN_ID}-01`);
    metadata.set('tracestate', 'vendor=x');
    let answer: Price;
    try {
      answer = await callUnary<Price>(client, 'GetPrice', { productId: '7' }, metadata);
    } finally {
      client.close();
    }

    const [span] = await waitFor(() => (serverSpans().length === 1 ? serverSpans() : undefined), { what: 'the server span' });
    expect(span.name).toBe(METHOD);
    expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(span.parentSpanContext?.spanId).toBe(CALLER_SPAN_ID);
    expect(span.attributes).toEqual({
      'rpc.system': 'grpc',
      'rpc.service': 'zonemesh.pricing.v1.PricingService',
      'rpc.method': 'GetPrice',
      'rpc.grpc.status_code': 0,
      'zonemesh.instance': 'pricing-zone-b-1',
      'zonemesh.zone': 'zone-b',
    });
    expect(span.resource.attributes).toMatchObject({
      'service.name': 'pricing',
      'service.instance.id': 'pricing-zone-b-1',
      'cloud.availability_zone': 'zone-b',
      'service.version': 'v1',
    });
    // What a downstream call would carry: this hop's span, not the caller's traceparent.
    expect(answer.servedBy).toBe(`00-${TRACE_ID}-${span.spanContext().spanId}-01`);
  });

  it('starts a new trace without a traceparent, marks server failures, and leaves health checks untraced', async () => {
    const client = contractClient(service.address, PRICING_CONTRACT);
    try {
      await callUnary(client, 'GetPrice', { productId: '1' });
      await expect(callUnary(client, 'GetPrice', { productId: 'boom' })).rejects.toMatchObject({ code: expect.any(Number) });
    } finally {
      client.close();
    }
    expect(await healthCheck(service.address)).toBe('SERVING');

    const spans = await waitFor(() => (serverSpans().length >= 2 ? serverSpans() : undefined), { what: 'two server spans' });
    expect(spans).toHaveLength(2);
    expect(spans.every((span) => span.name === METHOD)).toBe(true);
    const [ok, failed] = spans;
    expect(ok.parentSpanContext).toBeUndefined();
    expect(ok.status.code).toBe(SpanStatusCode.UNSET);
    expect(failed.attributes['rpc.grpc.status_code']).not.toBe(status.OK);
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed.spanContext().traceId).not.toBe(ok.spanContext().traceId);
  });

  it('with the tracing client interceptor, a call made inside a span gets a CLIENT span that parents the SERVER span', async () => {
    const client = contractClient(service.address, PRICING_CONTRACT, { interceptors: [tracingClientInterceptor] });
    const outer = tracing.tracer.startSpan('caller');
    try {
      // A stale traceparent in the metadata must be replaced by the client span's.
      const metadata = new Metadata();
      metadata.set('traceparent', `00-${TRACE_ID}-${CALLER_SPAN_ID}-01`);
      await context.with(trace.setSpan(context.active(), outer), () => callUnary(client, 'GetPrice', { productId: '2' }, metadata));
      // Outside any span the interceptor stays out of the way: no client span.
      await callUnary(client, 'GetPrice', { productId: '3' });
    } finally {
      outer.end();
      client.close();
    }

    const spans = await waitFor(() => (serverSpans().length === 2 ? exporter.getFinishedSpans() : undefined), { what: 'two server spans' });
    const clients = spans.filter((span) => span.kind === SpanKind.CLIENT);
    expect(clients).toHaveLength(1);
    const [clientSpan] = clients;
    expect(clientSpan.name).toBe(METHOD);
    expect(clientSpan.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
    expect(clientSpan.attributes).toMatchObject({ 'rpc.system': 'grpc', 'rpc.method': 'GetPrice', 'rpc.grpc.status_code': 0 });
    const [traced, untraced] = serverSpans();
    expect(traced.spanContext().traceId).toBe(outer.spanContext().traceId);
    expect(traced.parentSpanContext?.spanId).toBe(clientSpan.spanContext().spanId);
    expect(untraced.parentSpanContext).toBeUndefined();
  });
});
