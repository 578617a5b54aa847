import { status } from '@grpc/grpc-js';
import { Counter, Histogram, type Registry } from 'prom-client';
import { callbackStatus, wrapUnaryHandlers, type ServiceAdder, type UnaryCallback, type UnaryHandler } from './grpc-unary-wrapper.js';

/** RED metrics of a gRPC server, by method (`package.Service/Method`) and status code name. */
export interface GrpcServerMetrics {
  observe(method: string, code: status, seconds: number): void;
}

const CODE_NAMES = new Map<number, string>(
  Object.entries(status)
    .filter(([, value]) => typeof value === 'number')
    .map(([name, value]) => [value as number, name]),
);

/** `NOT_FOUND` for 5; anything outside the gRPC range is reported as UNKNOWN (bounded labels). */
export function grpcCodeName(code: number): string {
  return CODE_NAMES.get(code) ?? 'UNKNOWN';
}

export function createGrpcServerMetrics(registry: Registry): GrpcServerMetrics {
  const requests = new Counter({
    name: 'zonemesh_grpc_server_requests_total',
    help: 'gRPC calls handled, by method and status code.',
    labelNames: ['method', 'code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'zonemesh_grpc_server_request_duration_seconds',
    help: 'gRPC call handling time, from the handler being invoked to the response being handed to grpc-js.',
    labelNames: ['method'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return {
    observe(method, code, seconds) {
      requests.inc({ method, code: grpcCodeName(code) });
      duration.observe({ method }, seconds);
    },
  };
}

/**
 * Wraps `server.addService` so every unary handler added afterwards is
 * measured by what it hands back to grpc-js — the status the caller sees,
 * whatever framework produced it. Streaming handlers pass through untouched
 * (the mesh has none). Call it before the framework adds its services and
 * after adding the ones that should not count (health, reflection).
 */
export function instrumentGrpcServer(server: ServiceAdder, metrics: GrpcServerMetrics): void {
  wrapUnaryHandlers(server, (handler, path) => wrapUnary(handler, path.replace(/^\//, ''), metrics));
}

function wrapUnary(handler: UnaryHandler, method: string, metrics: GrpcServerMetrics): UnaryHandler {
  return (call, callback) => {
    const started = process.hrtime.bigint();
    let done = false;
    const finish: UnaryCallback = (error, ...rest) => {
      if (!done) {
        done = true;
        metrics.observe(method, callbackStatus(error), Number(process.hrtime.bigint() - started) / 1e9);
      }
      callback(error, ...rest);
    };
    return handler(call, finish);
  };
}
