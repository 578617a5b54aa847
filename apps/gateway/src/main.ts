import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { registerLbMetrics } from '@zonemesh/lb';
import {
  answerHelp,
  applyMaxConnections,
  bounded,
  describeStartupError,
  fastifyServerLimits,
  httpServerLimits,
  loadServiceEnv,
  meshZones,
  onMeshReload,
  reloadOnSighup,
  serviceHelp,
  type HttpServerLimits,
  type ServiceEnv,
} from '@zonemesh/runtime';
import { createHttpServerMetrics, createMetricsRegistry, startTracing, type Tracing } from '@zonemesh/telemetry';
import { ApiExceptionFilter } from './errors/api-exception.filter.js';
import { GatewayModule } from './gateway.module.js';
import type { GatewaySettings } from './gateway.settings.js';
import { createAccessLogger, installAccessLog } from './http/access-log.js';
import { clientErrorHandler, refuseConnect } from './http/client-errors.js';
import { frameworkErrors, installHttpHooks, requestId } from './http/fastify-hooks.js';
import { collectGetRoutes } from './http/method-not-allowed.js';
import { installRequestGuards } from './http/request-guards.js';
import { installTracingHooks } from './http/tracing-hooks.js';
import { unreachableRoutes } from './routing/product-endpoints.js';
import { loadGatewayRoutes, type GatewayRoutes } from './routing/route-table.provider.js';

async function main(): Promise<void> {
  answerHelp(process.argv.slice(2), `${serviceHelp('gateway')}\nRoutes: the routes: table of ZONEMESH_CLUSTERS_FILE (mesh.yaml), else the built-in default routes.`);
  let env: ServiceEnv;
  let limits: HttpServerLimits;
  try {
    env = loadServiceEnv(process.env, 'gateway');
    limits = httpServerLimits(process.env);
  } catch (error) {
    console.error(`gateway: ${(error as Error).message}`);
    process.exit(2);
  }
  // Routes are validated before anything starts: a bad route is a one-line exit 2.
  let routes: GatewayRoutes;
  try {
    routes = loadGatewayRoutes(env.clustersFile);
  } catch (error) {
    console.error(`gateway: ${(error as Error).message}`);
    process.exit(2);
  }
  // A reload of mesh.yaml swaps the route table in one step (the clusters' settings go to the catalog channel).
  const table = routes.table;
  onMeshReload((file) => {
    const next = loadGatewayRoutes(file);
    return () => table.replace(next.table);
  });
  reloadOnSighup(env);
  for (const route of unreachableRoutes(routes.table)) {
    console.error(`gateway: warning: routes[${route.index}] "${route.name}" matches no path of the product endpoints and will never be taken`);
  }
  // Before any module is built: the catalog channel's interceptor uses the global tracer.
  let tracing: Tracing;
  try {
    tracing = startTracing({ service: 'gateway', zone: env.zone, instance: env.instanceId });
  } catch (error) {
    console.error(`gateway: ${(error as Error).message}`);
    process.exit(2);
  }
  const settings: GatewaySettings = {
    instanceId: env.instanceId,
    zone: env.zone,
    host: env.host,
    port: env.port,
    upstreamTimeoutMs: 3000,
    bodyLimitBytes: 64 * 1024,
  };
  const metrics = createMetricsRegistry({ service: 'gateway', zone: env.zone, instance: env.instanceId });
  registerLbMetrics(metrics, { zones: meshZones(env) });
  const adapter = new FastifyAdapter({
    ...fastifyServerLimits(limits),
    bodyLimit: settings.bodyLimitBytes,
    routerOptions: { maxParamLength: 200 },
    frameworkErrors,
    clientErrorHandler,
    // Missing Host is refused by installRequestGuards, in the JSON error shape.
    http: { requireHostHeader: false },
    genReqId: (request: IncomingMessage) => requestId(request.headers['x-request-id']),
  });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot({ env, settings, metrics, routes: routes.table }), adapter, {
    logger: ['error', 'warn'],
  });
  app.useGlobalFilters(new ApiExceptionFilter());
  const fastify = app.getHttpAdapter().getInstance();
  installHttpHooks(fastify, createHttpServerMetrics(metrics));
  installRequestGuards(fastify);
  installAccessLog(fastify, createAccessLogger({ service: 'gateway', instance: env.instanceId, zone: env.zone }));
  if (tracing.enabled) installTracingHooks(fastify, tracing.tracer);
  const addMethodNotAllowed = collectGetRoutes(fastify);
  try {
    await app.init();
    addMethodNotAllowed();
    refuseConnect(app.getHttpServer());
    applyMaxConnections(app.getHttpServer(), limits);
    await app.listen(settings.port, settings.host);
  } catch (error) {
    await app.close().catch(() => undefined);
    console.error(describeStartupError(error, env));
    process.exit(1);
  }
  console.log(
    JSON.stringify({
      event: 'ready',
      instanceId: env.instanceId,
      address: `http://${settings.host}:${settings.port}`,
      routes: routes.source,
      ...(tracing.enabled ? { tracing: tracing.exporters } : {}),
    }),
  );

  const stop = () => {
    setTimeout(() => process.exit(0), 5000).unref();
    // Spans of the last requests are exported before the process goes.
    void app
      .close()
      .then(() => bounded(() => tracing.shutdown(), 2_000))
      .then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // The supervisor closing our IPC channel means it is gone: do not linger.
  process.once('disconnect', stop);
}

main().catch((error: unknown) => {
  console.error(`gateway: ${(error as Error).message?.split('\n')[0] ?? String(error)}`);
  process.exit(1);
});
