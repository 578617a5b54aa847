import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import type { SpanLine } from './json-lines-span.exporter.js';
import { startTracing, type Tracing } from './tracing.js';

const identity = { service: 'pricing', zone: 'zone-b', instance: 'pricing-v2-zone-b-1', version: 'v2' };

describe('startTracing', () => {
  let tracing: Tracing | undefined;
  afterEach(async () => {
    await tracing?.shutdown();
    tracing = undefined;
  });

  it('with OTEL_TRACES_EXPORTER=none registers nothing: spans do not record and no context is carried', async () => {
    let written = '';
    tracing = startTracing({ ...identity, env: { OTEL_TRACES_EXPORTER: 'none' }, write: (text) => (written += text) });
    expect(tracing.enabled).toBe(false);
    const span = tracing.tracer.startSpan('work');
    expect(span.isRecording()).toBe(false);
    context.with(trace.setSpan(context.active(), span), () => expect(trace.getActiveSpan()).toBeUndefined());
    span.end();
    await tracing.forceFlush();
    expect(written).toBe('');
    expect(propagation.fields()).toEqual([]);
  });

  it('prints each span as a JSON line naming the process, with the parent chain', async () => {
    let written = '';
    tracing = startTracing({ ...identity, env: { OTEL_TRACES_EXPORTER: 'console' }, write: (text) => (written += text) });
    expect(tracing.exporters).toEqual(['console']);
    expect(propagation.fields()).toEqual(['traceparent', 'tracestate']);
    const { tracer } = tracing;
    const parent = tracer.startSpan('parent', { kind: SpanKind.SERVER });
    // The active span survives an await: the AsyncLocalStorage context manager is registered.
    await context.with(trace.setSpan(context.active(), parent), async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      tracer.startSpan('child', { kind: SpanKind.CLIENT, attributes: { 'rpc.system': 'grpc' } }).end();
    });
    parent.end();
    await tracing.forceFlush();

    const lines = written.trim().split('\n').map((line) => JSON.parse(line) as SpanLine);
    const byName = new Map(lines.map((line) => [line.name, line]));
    expect(byName.get('child')).toMatchObject({
      event: 'span',
      kind: 'CLIENT',
      traceId: parent.spanContext().traceId,
      parentSpanId: parent.spanContext().spanId,
      service: 'pricing',
      instance: 'pricing-v2-zone-b-1',
      zone: 'zone-b',
      status: 'UNSET',
      attributes: { 'rpc.system': 'grpc' },
    });
    expect(byName.get('parent')).toMatchObject({ kind: 'SERVER', spanId: parent.spanContext().spanId });
    expect(byName.get('parent')!.parentSpanId).toBeUndefined();
  });

  it('posts spans over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, flushing on shutdown', async () => {
    const received: { path: string; type: string; body: string }[] = [];
    const collector = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', type: req.headers['content-type'] ?? '', body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
      tracing = startTracing({ ...identity, env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint } });
      expect(tracing.exporters).toEqual([`otlp ${endpoint}/v1/traces`]);
      const span = tracing.tracer.startSpan('GET /api/products/:id');
      span.end();
      await tracing.shutdown();

      expect(received).toHaveLength(1);
      expect(received[0].path).toBe('/v1/traces');
      const body = JSON.parse(received[0].body) as {
        resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: { name: string; traceId: string }[] }[] }[];
      };
      const [resourceSpans] = body.resourceSpans;
      const attributes = Object.fromEntries(resourceSpans.resource.attributes.map((a) => [a.key, a.value.stringValue]));
      expect(attributes).toMatchObject({ 'service.name': 'pricing', 'service.instance.id': 'pricing-v2-zone-b-1', 'cloud.availability_zone': 'zone-b' });
      expect(resourceSpans.scopeSpans[0].spans[0]).toMatchObject({ name: 'GET /api/products/:id', traceId: span.spanContext().traceId });
    } finally {
      await new Promise<void>((resolve) => collector.close(() => resolve()));
    }
  });

  it('refuses a second start, and starts again after shutdown', async () => {
    tracing = startTracing({ ...identity, env: { OTEL_TRACES_EXPORTER: 'console' }, write: () => undefined });
    expect(() => startTracing({ ...identity, env: { OTEL_TRACES_EXPORTER: 'console' } })).toThrow('already started');
    await tracing.shutdown();
    expect(propagation.fields()).toEqual([]);
    tracing = startTracing({ ...identity, env: { OTEL_TRACES_EXPORTER: 'console' }, write: () => undefined });
    expect(tracing.tracer.startSpan('x').isRecording()).toBe(true);
  });

  it('rejects bad settings before starting anything', () => {
    expect(() => startTracing({ ...identity, env: { OTEL_TRACES_EXPORTER: 'jaeger' } })).toThrow('OTEL_TRACES_EXPORTER');
  });
});
