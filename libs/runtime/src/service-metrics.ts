import type { Server } from '@grpc/grpc-js';
import { registerLbMetrics } from '@zonemesh/lb';
import {
  createGrpcServerMetrics,
  createMetricsRegistry,
  instrumentGrpcServer,
  startMetricsServer,
  type MetricsServer,
} from '@zonemesh/telemetry';
import type { Registry } from 'prom-client';
import { clustersView } from './clusters-view.js';
import { meshZones, type ServiceEnv } from './service-env.js';

/** The metrics of one service process: its registry, and the server exposing it when configured. */
export interface ServiceMetrics {
  readonly registry: Registry;
  /** Call with the grpc-js server before the framework adds its services. */
  instrument(server: Pick<Server, 'addService'>): void;
  /** Starts GET /metrics on ZONEMESH_METRICS_PORT; resolves undefined when none is set. */
  serve(): Promise<MetricsServer | undefined>;
  /** Closes the server and unhooks the LB metrics from grpc-js. */
  close(): Promise<void>;
}

/**
 * One Registry per service with identity labels, gRPC server RED
 * (zonemesh_grpc_server_*) and the client-side LB metrics of every channel
 * this process opens (zonemesh_lb_*, zonemesh_grpc_client_*).
 */
export function createServiceMetrics(env: ServiceEnv): ServiceMetrics {
  const registry = createMetricsRegistry({ service: env.service, zone: env.zone, instance: env.instanceId, version: env.version });
  const server = createGrpcServerMetrics(registry);
  const lb = registerLbMetrics(registry, { zones: meshZones(env) });
  let http: MetricsServer | undefined;
  return {
    registry,
    instrument: (grpcServer) => instrumentGrpcServer(grpcServer, server),
    serve: async () => {
      if (env.metricsPort === undefined) return undefined;
      try {
        http = await startMetricsServer({
          registry,
          host: env.host,
          port: env.metricsPort,
          // The LB view of this process's own calls (catalog -> pricing, inventory), for the console and `zonemesh status`.
          json: { '/admin/clusters': () => clustersView({ instance: env.instanceId, zone: env.zone }) },
        });
      } catch (error) {
        // Named here: describeStartupError would blame ZONEMESH_PORT for an EADDRINUSE.
        const code = (error as NodeJS.ErrnoException).code;
        const why = code === 'EADDRINUSE' ? 'is already in use' : `cannot be bound (${code ?? (error as Error).message})`;
        throw new Error(`metrics port ${env.metricsPort} (ZONEMESH_METRICS_PORT) ${why}`);
      }
      return http;
    },
    close: async () => {
      lb.stop();
      await http?.close();
    },
  };
}
