import { Controller, Inject, Module } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { PRICING_CONTRACT, type GetPriceRequest__Output, type Price } from '@zonemesh/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { startGrpcService, type GrpcServiceHandle } from './grpc-service.bootstrap.js';
import { loadServiceEnv, type ServiceEnv } from './service-env.js';
import { SERVICE_ENV } from './service-env.module.js';
import { callUnary, contractClient, healthCheck, watchHealth } from './testing/index.js';
import { freePort, waitFor } from '@zonemesh/testing';

@Controller()
class EchoPricingController {
  constructor(@Inject(SERVICE_ENV) private readonly env: ServiceEnv) {}

  @GrpcMethod(PRICING_CONTRACT.service, 'GetPrice')
  getPrice(request: GetPriceRequest__Output): Price {
    return { productId: request.productId, servedBy: this.env.instanceId, version: this.env.version };
  }
}

@Module({ controllers: [EchoPricingController] })
class EchoPricingModule {}

describe('startGrpcService', () => {
  let service: GrpcServiceHandle | undefined;
  afterEach(async () => {
    await service?.stop();
    service = undefined;
  });

  it('serves the module with the ServiceEnv injectable, health SERVING', async () => {
    const env = loadServiceEnv({ ZONEMESH_SERVICE: 'pricing', ZONEMESH_ZONE: 'zone-a', ZONEMESH_PORT: String(await freePort()), ZONEMESH_VERSION: 'v2' });
    service = await startGrpcService({ module: EchoPricingModule, env, grpc: PRICING_CONTRACT });
    expect(service.registered).toBe(false);

    const client = contractClient(service.address, PRICING_CONTRACT);
    try {
      expect(await callUnary(client, 'GetPrice', { productId: '9' })).toMatchObject({ productId: '9', servedBy: 'pricing-zone-a-1', version: 'v2' });
    } finally {
      client.close();
    }
    expect(await healthCheck(service.address, PRICING_CONTRACT.fullName)).toBe('SERVING');
  });

  it('turns health NOT_SERVING before it closes', async () => {
    const env = loadServiceEnv({ ZONEMESH_SERVICE: 'pricing', ZONEMESH_ZONE: 'zone-a', ZONEMESH_PORT: String(await freePort()) });
    service = await startGrpcService({ module: EchoPricingModule, env, grpc: PRICING_CONTRACT });

    const watch = watchHealth(service.address);
    try {
      await waitFor(() => watch.statuses.includes('SERVING'), { what: 'SERVING on the watch' });
      await service.stop();
      await waitFor(() => watch.statuses.includes('NOT_SERVING'), { what: 'NOT_SERVING on the watch' });
    } finally {
      watch.close();
    }
  });
});
