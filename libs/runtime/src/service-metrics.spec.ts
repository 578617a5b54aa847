import { status } from '@grpc/grpc-js';
import { Controller, Module } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { PRICING_CONTRACT, type GetPriceRequest__Output, type Price } from '@zonemesh/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { startGrpcService, type GrpcServiceHandle } from './grpc-service.bootstrap.js';
import { rpcError } from './rpc-errors.js';
import { loadServiceEnv } from './service-env.js';
import { callUnary, contractClient, healthCheck } from './testing/index.js';
import { freePort } from '@zonemesh/testing';

@Controller()
class FlakyPricingController {
  @GrpcMethod(PRICING_CONTRACT.service, 'GetPrice')
  getPrice(request: GetPriceRequest__Output): Price {
    if (request.productId === 'missing') throw rpcError(status.NOT_FOUND, 'no such product');
    if (request.productId === 'boom') throw new Error('a bug');
    return { productId: request.productId, servedBy: 'x', version: 'v1' };
  }
}

@Module({ controllers: [FlakyPricingController] })
class FlakyPricingModule {}

/** The value of the first sample of `name` whose labels include every given label. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.lastIndexOf('}'));
    if (Object.entries(labels).every(([k, v]) => body.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('service metrics (ZONEMESH_METRICS_PORT)', () => {
  let service: GrpcServiceHandle | undefined;
  afterEach(async () => {
    await service?.stop();
    service = undefined;
  });

  it('counts every call by method and status code and serves them on the metrics port', async () => {
    const metricsPort = await freePort();
    const env = loadServiceEnv({
      ZONEMESH_SERVICE: 'pricing',
      ZONEMESH_ZONE: 'zone-b',
      ZONEMESH_INSTANCE_ID: 'pricing-v2-zone-b-1',
      ZONEMESH_VERSION: 'v2',
      ZONEMESH_PORT: String(await freePort()),
      // No graceful drain: these tests stop services repeatedly and are not about draining.
      ZONEMESH_DRAIN_PERIOD: '0s',
      ZONEMESH_METRICS_PORT: String(metricsPort),
    });
    service = await startGrpcService({ module: FlakyPricingModule, env, grpc: PRICING_CONTRACT });
    expect(service.metricsUrl).toBe(`http://127.0.0.1:${metricsPort}/metrics`);

    const client = contractClient(service.address, PRICING_CONTRACT);
    try {
      for (let i = 0; i < 3; i++) await callUnary(client, 'GetPrice', { productId: String(i) });
      await expect(callUnary(client, 'GetPrice', { productId: 'missing' })).rejects.toMatchObject({ code: status.NOT_FOUND });
      await expect(callUnary(client, 'GetPrice', { productId: 'boom' })).rejects.toMatchObject({ code: expect.any(Number) });
    } finally {
      client.close();
    }
    // Health checks are infrastructure, not traffic: they must not count.
    expect(await healthCheck(service.address)).toBe('SERVING');

    const response = await fetch(service.metricsUrl!);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    const method = 'zonemesh.pricing.v1.PricingService/GetPrice';
    const identity = { service: 'pricing', zone: 'zone-b', instance: 'pricing-v2-zone-b-1', version: 'v2' };
    expect(sample(text, 'zonemesh_grpc_server_requests_total', { method, code: 'OK', ...identity })).toBe(3);
    expect(sample(text, 'zonemesh_grpc_server_requests_total', { method, code: 'NOT_FOUND' })).toBe(1);
    const failed = text.split('\n').filter((l) => l.startsWith('zonemesh_grpc_server_requests_total{') && !/code="(OK|NOT_FOUND)"/.test(l));
    expect(failed).toHaveLength(1);
    expect(sample(text, 'zonemesh_grpc_server_request_duration_seconds_count', { method })).toBe(5);
    expect(text).not.toContain('grpc.health.v1');
    // The LB metrics are registered in the same registry (no calls yet, so only HELP/TYPE lines).
    expect(text).toContain('# TYPE zonemesh_lb_picks_total counter');
    expect(text).toContain('process_cpu_user_seconds_total');

    expect((await fetch(service.metricsUrl!.replace('/metrics', '/other'))).status).toBe(404);
    // A gRPC port cannot answer plain HTTP, so the LB view of this process's own calls is served here.
    const clusters = await fetch(service.metricsUrl!.replace('/metrics', '/admin/clusters'));
    expect(clusters.headers.get('content-type')).toContain('application/json');
    expect(await clusters.json()).toMatchObject({ instance: 'pricing-v2-zone-b-1', zone: 'zone-b', clusters: expect.any(Array) });
  });

  it('serves no metrics without ZONEMESH_METRICS_PORT, and stop() closes the metrics port', async () => {
    const plain = loadServiceEnv({ ZONEMESH_SERVICE: 'pricing', ZONEMESH_ZONE: 'zone-a', ZONEMESH_PORT: String(await freePort()), ZONEMESH_DRAIN_PERIOD: '0s' });
    service = await startGrpcService({ module: FlakyPricingModule, env: plain, grpc: PRICING_CONTRACT });
    expect(service.metricsUrl).toBeUndefined();
    await service.stop();

    const withMetrics = loadServiceEnv({ ...{ ZONEMESH_SERVICE: 'pricing', ZONEMESH_ZONE: 'zone-a' }, ZONEMESH_PORT: String(await freePort()), ZONEMESH_METRICS_PORT: String(await freePort()), ZONEMESH_DRAIN_PERIOD: '0s' });
    service = await startGrpcService({ module: FlakyPricingModule, env: withMetrics, grpc: PRICING_CONTRACT });
    const url = service.metricsUrl!;
    expect((await fetch(url)).status).toBe(200);
    await service.stop();
    await expect(fetch(url)).rejects.toThrow();
  });
});
