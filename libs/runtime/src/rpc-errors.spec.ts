import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { downstreamError, rpcError } from './rpc-errors.js';

const grpcError = (code: status, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details });

describe('downstreamError', () => {
  it.each([status.NOT_FOUND, status.UNAVAILABLE, status.DEADLINE_EXCEEDED, status.INVALID_ARGUMENT])(
    'keeps status %d and names the downstream',
    (code) => {
      expect(downstreamError('pricing', grpcError(code, 'boom')).getError()).toEqual({ code, message: 'pricing: boom' });
    },
  );

  it('hides the details of internal failures', () => {
    expect(downstreamError('inventory', grpcError(status.UNKNOWN, 'TypeError at x.js:1')).getError()).toEqual({
      code: status.INTERNAL,
      message: 'inventory failed',
    });
  });

  it('treats errors without a gRPC status as the downstream being unavailable', () => {
    expect(downstreamError('pricing', new Error('socket hang up')).getError()).toEqual({
      code: status.UNAVAILABLE,
      message: 'pricing: socket hang up',
    });
  });
});

describe('rpcError', () => {
  it('carries code and message', () => {
    expect(rpcError(status.NOT_FOUND, 'nope').getError()).toEqual({ code: status.NOT_FOUND, message: 'nope' });
  });
});
