import { setLogger } from '@grpc/grpc-js';
import { startTracing, type Tracing } from '@zonemesh/telemetry';
import { bounded } from './bounded.js';
import { TRACING_FLUSH_MS } from './drain-period.js';
import { startGrpcService, type StartGrpcServiceOptions } from './grpc-service.bootstrap.js';
import { reloadOnSighup } from './mesh-reload.js';
import { loadServiceEnv, type ServiceName } from './service-env.js';
import { describeStartupError } from './startup-error.js';
import { answerHelp, serviceHelp } from './cli-help.js';

export interface RunGrpcServiceOptions extends Omit<StartGrpcServiceOptions, 'env' | 'tracing'> {
  /** The service this program implements; ZONEMESH_SERVICE then defaults to it. */
  readonly service: ServiceName;
  /** Variables to read instead of process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}


/**
 * A service's whole main(): loadServiceEnv + startGrpcService, then one JSON
 * "ready" line on stdout; SIGTERM/SIGINT (or the supervisor's IPC channel
 * closing) stop gracefully and exit 0. Any start-up failure prints one line
 * on stderr and exits 1.
 */
export async function runGrpcService(options: RunGrpcServiceOptions): Promise<void> {
  answerHelp(process.argv.slice(2), serviceHelp(options.service));
  const vars = options.env ?? process.env;
  let env;
  try {
    env = loadServiceEnv(vars, options.service);
  } catch (error) {
    const who = vars.ZONEMESH_INSTANCE_ID || options.service;
    process.stderr.write(`${who}: ${(error as Error).message}\n`);
    process.exit(1);
  }
  reloadOnSighup(env);
  let tracing: Tracing;
  try {
    tracing = startTracing({ service: env.service, zone: env.zone, instance: env.instanceId, version: env.version, env: vars });
  } catch (error) {
    process.stderr.write(`${env.instanceId}: ${(error as Error).message}\n`);
    process.exit(1);
  }

  muteBindErrorLog();
  let service;
  try {
    service = await startGrpcService({
      module: options.module,
      grpc: options.grpc,
      shutdownStepTimeoutMs: options.shutdownStepTimeoutMs,
      log: options.log,
      env,
      tracing,
    });
  } catch (error) {
    process.stderr.write(`${describeStartupError(error, env)}\n`);
    process.exit(1);
  }

  const onSignal = (): void => {
    // Exits even if a step ignored its bound; `zonemesh up` waits longer (serviceExitBudgetMs) before SIGKILL.
    setTimeout(() => process.exit(0), service.stopBudgetMs + TRACING_FLUSH_MS).unref();
    // Spans of the last calls are exported before the process goes.
    void service
      .stop()
      .then(() => bounded(() => tracing.shutdown(), TRACING_FLUSH_MS))
      .then(() => process.exit(0));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  // Started by a supervisor over IPC (zonemesh up): if it dies, so do we.
  if (process.send) process.once('disconnect', onSignal);

  process.stdout.write(
    `${JSON.stringify({
      event: 'ready',
      instanceId: env.instanceId,
      service: env.service,
      zone: env.zone,
      version: env.version,
      address: service.address,
      advertise: `${env.advertiseHost}:${env.advertisePort}`,
      ...(service.metricsUrl ? { metrics: service.metricsUrl } : {}),
      ...(service.healthUrl ? { health: service.healthUrl } : {}),
      registered: service.registered,
      ...(tracing.enabled ? { tracing: tracing.exporters } : {}),
    })}\n`,
  );
}

// grpc-js logs its own "No address added" line before the bind error reaches
// us; we print a clearer one-liner instead, so drop that one message only.
function muteBindErrorLog(): void {
  // Same output as grpc-js's default logger, minus that message.
  setLogger({
    error: (message: unknown, ...rest: unknown[]) => {
      if (typeof message === 'string' && message.startsWith('No address added')) return;
      console.error(`E ${message}`, ...rest);
    },
    info: (message: unknown, ...rest: unknown[]) => console.error(`I ${message}`, ...rest),
    debug: (message: unknown, ...rest: unknown[]) => console.error(`D ${message}`, ...rest),
  });
}
