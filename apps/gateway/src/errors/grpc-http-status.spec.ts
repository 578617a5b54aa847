import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { grpcCodeName, httpStatusForGrpc } from './grpc-http-status.js';

describe('gRPC status to HTTP status', () => {
  it('maps the statuses clients act on', () => {
    expect(httpStatusForGrpc(status.UNAVAILABLE)).toBe(503);
    expect(httpStatusForGrpc(status.DEADLINE_EXCEEDED)).toBe(504);
    expect(httpStatusForGrpc(status.NOT_FOUND)).toBe(404);
    expect(httpStatusForGrpc(status.INVALID_ARGUMENT)).toBe(400);
    expect(httpStatusForGrpc(status.RESOURCE_EXHAUSTED)).toBe(429);
  });

  it('blames the upstream (502) for anything unexpected', () => {
    expect(httpStatusForGrpc(status.INTERNAL)).toBe(502);
    expect(httpStatusForGrpc(status.UNKNOWN)).toBe(502);
    expect(httpStatusForGrpc(999)).toBe(502);
    expect(grpcCodeName(status.UNAVAILABLE)).toBe('UNAVAILABLE');
  });
});
