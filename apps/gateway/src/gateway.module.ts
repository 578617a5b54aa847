import { type DynamicModule, Module } from '@nestjs/common';
import { ClientProxyFactory } from '@nestjs/microservices';
import { downstreamClient, type ServiceEnv } from '@zonemesh/runtime';
import type { RouteTable } from '@zonemesh/routing';
import type { Registry } from 'prom-client';
import { AdminController } from './admin/admin.controller.js';
import { GATEWAY_SETTINGS, type GatewaySettings } from './gateway.settings.js';
import { HealthController } from './health/health.controller.js';
import { METRICS_REGISTRY, MetricsController } from './metrics/metrics.controller.js';
import { OpenApiController } from './openapi/openapi.controller.js';
import { CATALOG_CLIENT } from './products/catalog.client.js';
import { ProductsModule } from './products/products.module.js';
import { ROUTE_TABLE } from './routing/route-table.provider.js';

export interface GatewayModuleOptions {
  readonly env: ServiceEnv;
  readonly settings: GatewaySettings;
  readonly metrics: Registry;
  /** Compiled once from mesh.yaml `routes:` (or the defaults) before the module is built. */
  readonly routes: RouteTable;
}

/** Root module: configuration and routes come in validated, the catalog client is balanced by libs/lb. */
@Module({})
export class GatewayModule {
  static forRoot(options: GatewayModuleOptions): DynamicModule {
    const { name: _token, ...catalog } = downstreamClient({ service: 'catalog', env: options.env });
    const shared = [
      { provide: GATEWAY_SETTINGS, useValue: options.settings },
      { provide: METRICS_REGISTRY, useValue: options.metrics },
      { provide: ROUTE_TABLE, useValue: options.routes },
      { provide: CATALOG_CLIENT, useFactory: () => ClientProxyFactory.create(catalog) },
    ];
    return {
      module: GatewayModule,
      global: true,
      imports: [ProductsModule],
      controllers: [HealthController, MetricsController, AdminController, OpenApiController],
      providers: shared,
      exports: shared.map((p) => p.provide),
    };
  }
}
