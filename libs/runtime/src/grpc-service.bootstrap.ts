import { Module, type DynamicModule, type INestMicroservice, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type GrpcOptions } from '@nestjs/microservices';
import { contractLoaderOptions } from '@zonemesh/contracts';
import { bounded } from './bounded.js';
import { HealthAndReflection } from './health-and-reflection.js';
import { loadClusterSettings } from './cluster-settings.js';
import { drainPeriodMs, SHUTDOWN_STEP_MS, stopBudgetMs } from './drain-period.js';
import { createRegistration, type InstanceRegistration } from './mesh-bindings.js';
import { traceGrpcServer, type Tracing } from '@zonemesh/telemetry';
import type { Server } from '@grpc/grpc-js';
import type { Registry } from 'prom-client';
import type { ServiceEnv } from './service-env.js';
import { ServiceEnvModule } from './service-env.module.js';
import { startHealthPortServer, type HealthPortServer } from './health-port.server.js';
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
  /** Upper bound of each shutdown step (deregister, in-flight calls finishing), default 2000 ms. */
  readonly shutdownStepTimeoutMs?: number;
  /** How the drain period is waited out; a test passes its own to control when the drain ends. */
  readonly drainWait?: (ms: number) => Promise<void>;
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
  /** Where GET /healthcheck is served (ZONEMESH_HEALTH_PORT), if anywhere. */
  readonly healthUrl?: string;
  /** How long stop() keeps serving after NOT_SERVING + deregistration (see drainPeriodMs). */
  readonly drainPeriodMs: number;
  /** The longest stop() can take: the drain plus every bounded step. */
  readonly stopBudgetMs: number;
  /**
   * Graceful stop, in Envoy's and Kubernetes' order: health NOT_SERVING and
   * deregister; keep serving for the drain period while callers notice; then
   * refuse new calls and let the ones in flight finish (bounded, then cut);
   * then close. Each step is bounded so a dead registry or a stuck call
   * cannot hold the process. Idempotent.
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
  const stepMs = options.shutdownStepTimeoutMs ?? SHUTDOWN_STEP_MS;
  const address = `${env.host}:${env.port}`;
  const extras = new HealthAndReflection();
  const metrics = createServiceMetrics(env);
  // Validated at start (a bad clusters file fails here, not at the first SIGTERM).
  // Without a registry no caller learns of the stop by fetching, only by its health checks.
  const fetchMs = env.registryUrls === '' ? 0 : env.fetchIntervalMs;
  const drainMs = env.drainPeriodMs ?? drainPeriodMs(fetchMs, loadClusterSettings(env.clustersFile).get(env.service));
  const drainWait = options.drainWait ?? sleep;
  let grpcServer: Pick<Server, 'forceShutdown'> | undefined;

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
      // tryShutdown instead of forceShutdown: calls in flight finish (stop() bounds the wait).
      gracefulShutdown: true,
      onLoadPackageDefinition: (pkg, server) => {
        grpcServer = server;
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
  let healthPort: HealthPortServer | undefined;
  try {
    metricsUrl = (await metrics.serve())?.url;
    // Before registering: the registration carries the health port (a free one when 0 was asked for).
    healthPort = await serveHealthPort(env, () => extras.serving);
    await app.listen();
    const healthAdvertisePort = env.healthAdvertisePort ?? healthPort?.port;
    registration = createRegistration(env, options.log ?? ((line) => process.stderr.write(`${line}\n`)), healthAdvertisePort);
    registered = (await registration?.start()) ?? false;
  } catch (error) {
    await bounded(() => app.close(), stepMs);
    await healthPort?.close();
    await metrics.close();
    throw error;
  }
  extras.setAll('SERVING');
  app.flushLogs();

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      extras.setAll('NOT_SERVING');
      // The drain counts from here: deregistering is part of being noticed.
      const drained = drainMs > 0 ? drainWait(drainMs) : Promise.resolve();
      if (registration) await bounded(() => registration!.stop(), stepMs);
      await drained;
      if ((await bounded(() => app.close(), stepMs)) === 'timeout') grpcServer?.forceShutdown();
      await healthPort?.close();
      // Last, so a final scrape can still see the shutdown.
      await metrics.close();
    })());

  return {
    env,
    address,
    app,
    registered,
    metrics: metrics.registry,
    ...(metricsUrl ? { metricsUrl } : {}),
    ...(healthPort ? { healthUrl: healthPort.url } : {}),
    drainPeriodMs: drainMs,
    stopBudgetMs: stopBudgetMs(drainMs, stepMs),
    stop,
  };
}

async function serveHealthPort(env: ServiceEnv, serving: () => boolean): Promise<HealthPortServer | undefined> {
  if (env.healthPort === undefined) return undefined;
  try {
    return await startHealthPortServer({ host: env.host, port: env.healthPort, serving });
  } catch (error) {
    // Named here: describeStartupError would blame ZONEMESH_PORT for an EADDRINUSE.
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'is already in use' : `cannot be bound (${code ?? (error as Error).message})`;
    throw new Error(`health port ${env.healthPort} (ZONEMESH_HEALTH_PORT) ${why}`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
