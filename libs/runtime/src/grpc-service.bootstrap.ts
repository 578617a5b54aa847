import { Module, type DynamicModule, type INestMicroservice, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type GrpcOptions } from '@nestjs/microservices';
import { contractLoaderOptions } from '@zonemesh/contracts';
import { bounded } from './bounded.js';
import { HealthAndReflection } from './health-and-reflection.js';
import { createRegistration, type InstanceRegistration } from './mesh-bindings.js';
import { traceGrpcServer, type Tracing } from '@zonemesh/telemetry';
import type { Registry } from 'prom-client';
import type { ServiceEnv } from './service-env.js';
import { ServiceEnvModule } from './service-env.module.js';
import { createServiceMetrics } from './service-metrics.js';

/** What to serve: the proto package and file (a ServiceContract from @zonemesh/contracts fits). */
export interface GrpcServiceContract {
  readonly package: string;
  readonly protoPath: string;
}

export interface StartGrpcServiceOptions {
  /** The feature module with the @GrpcMethod controllers. */
  readonly module: Type<unknown> | DynamicModule;
  readonly env: ServiceEnv;
  readonly grpc: GrpcServiceContract;
  /** Upper bound of each shutdown step (deregister, close), default 2000 ms. */
  readonly shutdownStepTimeoutMs?: number;
  /** Where registration trouble is reported, one line each; default stderr. */
  readonly log?: (line: string) => void;
  /**
   * This process's tracing (startTracing, which runGrpcService calls): when
   * enabled, every call gets a SERVER span that stays active in its handler.
   * The caller owns it and shuts it down after stop().
   */
  readonly tracing?: Tracing;
}

/** A started service: serving, healthy and (when configured) registered. */
export interface GrpcServiceHandle {
  readonly env: ServiceEnv;
  /** `host:port` the server is bound to. */
  readonly address: string;
  readonly app: INestMicroservice;
  /** Whether the instance holds a registry lease right after start (false: none configured, or retrying). */
  readonly registered: boolean;
  /** This process's metrics (gRPC server RED, LB, Node runtime). */
  readonly metrics: Registry;
  /** Where GET /metrics is served (ZONEMESH_METRICS_PORT), if anywhere. */
  readonly metricsUrl?: string;
  /**
   * Graceful stop: health NOT_SERVING, deregister, close the server. Each
   * step is bounded so a dead registry cannot hold the process. Idempotent.
   */
  stop(): Promise<void>;
}

/**
 * Boots a NestJS gRPC microservice the way every mesh service runs: health
 * and reflection on the same server, Nest logging only warnings and errors,
 * registration in the zone's Eureka after the port is bound. Throws on
 * failure (see describeStartupError); runGrpcService adds the process part.
 */
export async function startGrpcService(options: StartGrpcServiceOptions): Promise<GrpcServiceHandle> {
  const { env, grpc } = options;
  const stepMs = options.shutdownStepTimeoutMs ?? 2_000;
  const address = `${env.host}:${env.port}`;
  const extras = new HealthAndReflection();
  const metrics = createServiceMetrics(env);

  @Module({ imports: [ServiceEnvModule.forRoot(env), options.module] })
  class ZonemeshServiceRoot {}

  const app = await NestFactory.createMicroservice<GrpcOptions>(ZonemeshServiceRoot, {
    transport: Transport.GRPC,
    options: {
      url: address,
      package: grpc.package,
      protoPath: grpc.protoPath,
      loader: contractLoaderOptions,
      // Health and reflection are attached first so only the mesh's own methods are counted and traced.
      onLoadPackageDefinition: (pkg, server) => {
        extras.attach(pkg, server);
        metrics.instrument(server);
        if (options.tracing?.enabled) {
          traceGrpcServer(server, { tracer: options.tracing.tracer, zone: env.zone, instance: env.instanceId });
        }
      },
    },
    // Twelve processes share one terminal under `zonemesh up`.
    logger: ['warn', 'error'],
    // Start-up errors are thrown to us and reported as one line; buffering
    // without auto-flush keeps Nest from printing its own stack trace first.
    // The buffer is flushed below once the server is listening.
    bufferLogs: true,
    autoFlushLogs: false,
    abortOnError: false,
  });

  let registration: InstanceRegistration | undefined;
  let registered = false;
  let metricsUrl: string | undefined;
  try {
    metricsUrl = (await metrics.serve())?.url;
    await app.listen();
    registration = createRegistration(env, options.log ?? ((line) => process.stderr.write(`${line}\n`)));
    registered = (await registration?.start()) ?? false;
  } catch (error) {
    await bounded(() => app.close(), stepMs);
    await metrics.close();
    throw error;
  }
  extras.setAll('SERVING');
  app.flushLogs();

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      extras.setAll('NOT_SERVING');
      if (registration) await bounded(() => registration!.stop(), stepMs);
      await bounded(() => app.close(), stepMs);
      // Last, so a final scrape can still see the shutdown.
      await metrics.close();
    })());

  return { env, address, app, registered, metrics: metrics.registry, ...(metricsUrl ? { metricsUrl } : {}), stop };
}
