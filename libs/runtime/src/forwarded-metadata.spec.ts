import { Metadata } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { forwardMetadata, metadataValue } from './forwarded-metadata.js';

describe('forwardMetadata', () => {
  it('copies only the forwarded keys', () => {
    const incoming = new Metadata();
    incoming.set('x-api-version', 'v2');
    incoming.set('x-request-id', 'r-1');
    incoming.set('traceparent', '00-abc-def-01');
    incoming.set('authorization', 'secret');
    const outgoing = forwardMetadata(incoming);
    expect(outgoing.getMap()).toEqual({ 'x-api-version': 'v2', 'x-request-id': 'r-1', traceparent: '00-abc-def-01' });
  });

  it('passes the caller trace context on unchanged when no span is active (tracing off)', () => {
    const incoming = new Metadata();
    incoming.set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    incoming.set('tracestate', 'vendor=x');
    expect(forwardMetadata(incoming).getMap()).toEqual({
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'vendor=x',
    });
    expect(forwardMetadata(incoming, ['x-request-id']).getMap()).toEqual({});
  });

  it('gives empty metadata when there is nothing to forward', () => {
    expect(forwardMetadata(undefined).getMap()).toEqual({});
  });
});

describe('metadataValue', () => {
  it('reads the first value or empty', () => {
    const md = new Metadata();
    md.set('x-api-version', 'v2');
    expect(metadataValue(md, 'x-api-version')).toBe('v2');
    expect(metadataValue(md, 'x-request-id')).toBe('');
  });
});
