import type { ServiceDefinition } from '@grpc/grpc-js';

const identity = (value: Buffer): Buffer => value;

/**
 * A one-method gRPC service, `/<pkg>.Echo/Who`, with raw bytes in and out (no
 * protobuf): the server answers with its id, so a caller sees which endpoint
 * served. The bench's servers and the library's specs both use it.
 */
export function echoService(pkg: string): ServiceDefinition {
  return {
    who: {
      path: `/${pkg}.Echo/Who`,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
      originalName: 'Who',
    },
  };
}
