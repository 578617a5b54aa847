import { Module, type DynamicModule } from '@nestjs/common';
import type { ServiceEnv } from './service-env.js';

/** DI token of this process's ServiceEnv: `@Inject(SERVICE_ENV) env: ServiceEnv`. */
export const SERVICE_ENV = Symbol.for('zonemesh.ServiceEnv');

/** Makes the ServiceEnv injectable everywhere; startGrpcService imports it for you. */
@Module({})
export class ServiceEnvModule {
  static forRoot(env: ServiceEnv): DynamicModule {
    return {
      module: ServiceEnvModule,
      global: true,
      providers: [{ provide: SERVICE_ENV, useValue: env }],
      exports: [SERVICE_ENV],
    };
  }
}
