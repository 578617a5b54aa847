import { Controller, Inject, Module } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { PRICING_CONTRACT, type GetPriceRequest__Output, type Price } from '@zonemesh/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { startGrpcService, type GrpcServiceHandle } from './grpc-service.bootstrap.js';
import { loadServiceEnv, type ServiceEnv } from './service-env.js';
import { SERVICE_ENV } from './service-env.module.js';
import { callUnary, contractClient, healthCheck, watchHealth } from './testing/index.js';
import { freePort, waitFor } from '@zonemesh/testing';

/** Product ids starting with `held` answer only once the test releases them: a call in flight at will. */
let releaseHeld: () => void = () => undefined;
let held = new Promise<void>((resolve) => (releaseHeld = resolve));

@Controller()
class EchoPricingController {
  constructor(@Inject(SERVICE_ENV) private readonly env: ServiceEnv) {}

  @GrpcMethod(PRICING_CONTRACT.service, 'GetPrice')
  async getPrice(request: GetPriceRequest__Output): Promise<Price> {
    if (request.productId.startsWith('held')) await held;
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
    // No registry and no caller's health checks: nobody needs time to notice the stop.
    expect(service.drainPeriodMs).toBe(0);

    const client = contractClient(service.address, PRICING_CONTRACT);
    try {
      expect(await callUnary(client, 'GetPrice', { productId: '9' })).toMatchObject({ productId: '9', servedBy: 'pricing-zone-a-1', version: 'v2' });
    } finally {
      client.close();
    }
    expect(await healthCheck(service.address, PRICING_CONTRACT.fullName)).toBe('SERVING');
  });

  it('turns health NOT_SERVING before it closes', async () => {
    const env = loadServiceEnv({ ZONEMESH_SERVICE: 'pricing', ZONEMESH_ZONE: 'zone-a', ZONEMESH_PORT: String(await freePort()), ZONEMESH_DRAIN_PERIOD: '0s' });
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

  it('drains: keeps serving new calls while callers notice, then lets the call in flight finish instead of cancelling it', async () => {
    held = new Promise<void>((resolve) => (releaseHeld = resolve));
    let endDrain: () => void = () => undefined;
    let drainAsked: number | undefined;
    const drainWait = (ms: number) => {
      drainAsked = ms;
      return new Promise<void>((resolve) => (endDrain = resolve));
    };
    const env = loadServiceEnv({ ZONEMESH_SERVICE: 'pricing', ZONEMESH_ZONE: 'zone-a', ZONEMESH_PORT: String(await freePort()), ZONEMESH_DRAIN_PERIOD: '1s' });
    service = await startGrpcService({ module: EchoPricingModule, env, grpc: PRICING_CONTRACT, drainWait });
    expect(service.drainPeriodMs).toBe(1_000);

    const client = contractClient(service.address, PRICING_CONTRACT);
    const watch = watchHealth(service.address);
    try {
      const inFlight = callUnary<Price>(client, 'GetPrice', { productId: 'held-1' }, undefined, { deadline: Date.now() + 30_000 });
      // The held call has reached the handler once a later call on the same connection was answered.
      await callUnary(client, 'GetPrice', { productId: 'warm' });
      const stopped = service.stop();
      await waitFor(() => watch.statuses.includes('NOT_SERVING'), { what: 'NOT_SERVING on the watch' });
      expect(drainAsked).toBe(1_000);
      // Draining: a caller that has not noticed yet is still served.
      expect(await callUnary(client, 'GetPrice', { productId: '2' })).toMatchObject({ productId: '2' });
      endDrain();
      releaseHeld();
      expect(await inFlight).toMatchObject({ productId: 'held-1', servedBy: 'pricing-zone-a-1' });
      await stopped;
      // Closed afterwards: nothing is accepted any more.
      await expect(callUnary(client, 'GetPrice', { productId: '3' }, undefined, { deadline: Date.now() + 2_000 })).rejects.toMatchObject({ code: 14 });
    } finally {
      watch.close();
      client.close();
    }
  });

  it('serves GET /healthcheck on a free ZONEMESH_HEALTH_PORT: 503 from the moment it drains, closed after stop', async () => {
    let endDrain: () => void = () => undefined;
    const drainWait = () => new Promise<void>((resolve) => (endDrain = resolve));
    const env = loadServiceEnv({ ZONEMESH_SERVICE: 'pricing', ZONEMESH_ZONE: 'zone-a', ZONEMESH_PORT: String(await freePort()), ZONEMESH_HEALTH_PORT: '0', ZONEMESH_DRAIN_PERIOD: '5s' });
    service = await startGrpcService({ module: EchoPricingModule, env, grpc: PRICING_CONTRACT, drainWait });
    const url = service.healthUrl!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*\/healthcheck$/);
    const get = async (target = url, method = 'GET') => {
      const response = await fetch(target, { method });
      return [response.status, await response.text()];
    };
    expect(await get()).toEqual([200, 'SERVING\n']);
    expect(await get(url.replace('/healthcheck', '/metrics'))).toEqual([404, 'not found: the health port serves GET /healthcheck\n']);
    expect(await get(url, 'POST')).toEqual([405, 'method POST not allowed: use GET\n']);

    const stopped = service.stop();
    // Draining: the traffic port still serves, the health port already says no.
    await waitFor(async () => (await get())[0] === 503, { what: '503 while draining' });
    expect(await get()).toEqual([503, 'NOT_SERVING\n']);
    endDrain();
    await stopped;
    await expect(fetch(url)).rejects.toThrow();
  });

  it('cuts a call that outlives the in-flight bound, so a stuck call cannot hold the process', async () => {
    held = new Promise<void>((resolve) => (releaseHeld = resolve));
    const env = loadServiceEnv({ ZONEMESH_SERVICE: 'pricing', ZONEMESH_ZONE: 'zone-a', ZONEMESH_PORT: String(await freePort()), ZONEMESH_DRAIN_PERIOD: '0s' });
    service = await startGrpcService({ module: EchoPricingModule, env, grpc: PRICING_CONTRACT, shutdownStepTimeoutMs: 200 });
    const client = contractClient(service.address, PRICING_CONTRACT);
    try {
      const stuck = callUnary(client, 'GetPrice', { productId: 'held-forever' }, undefined, { deadline: Date.now() + 30_000 });
      await callUnary(client, 'GetPrice', { productId: 'warm' });
      await service.stop();
      await expect(stuck).rejects.toHaveProperty('code');
    } finally {
      releaseHeld();
      client.close();
    }
  });
});
