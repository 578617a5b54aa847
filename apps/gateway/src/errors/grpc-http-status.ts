import { status as GrpcStatus } from '@grpc/grpc-js';

/**
 * gRPC status -> HTTP status, as Envoy's grpc-json transcoder and Google's
 * API design guide map them. Anything unexpected is a 502: the upstream
 * failed, not the gateway.
 */
const MAP: Partial<Record<GrpcStatus, number>> = {
  [GrpcStatus.INVALID_ARGUMENT]: 400,
  [GrpcStatus.OUT_OF_RANGE]: 400,
  [GrpcStatus.FAILED_PRECONDITION]: 400,
  [GrpcStatus.UNAUTHENTICATED]: 401,
  [GrpcStatus.PERMISSION_DENIED]: 403,
  [GrpcStatus.NOT_FOUND]: 404,
  [GrpcStatus.ALREADY_EXISTS]: 409,
  [GrpcStatus.ABORTED]: 409,
  [GrpcStatus.RESOURCE_EXHAUSTED]: 429,
  [GrpcStatus.CANCELLED]: 499,
  [GrpcStatus.UNIMPLEMENTED]: 501,
  [GrpcStatus.UNAVAILABLE]: 503,
  [GrpcStatus.DEADLINE_EXCEEDED]: 504,
};

export function httpStatusForGrpc(code: number): number {
  return MAP[code as GrpcStatus] ?? 502;
}

export function grpcCodeName(code: number): string {
  return GrpcStatus[code] ?? 'UNKNOWN';
}
