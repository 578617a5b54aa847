import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { PRICING_CONTRACT, type Price__Output, type PricingServiceClient } from '@zonemesh/contracts';
import { callUnary, contractClient, healthCheck, reflectionListServices } from '@zonemesh/runtime';
import { buildProjects, freePort, spawnRaw, spawnService, type ServiceProcess } from '@zonemesh/testing';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { priceFor } from './price-book.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const entry = 'apps/pricing/dist/main.js';

async function startPricing(version: string, instanceId: string): Promise<ServiceProcess> {
  const port = await freePort();
  return spawnService({
    entry,
    cwd: root,
    // A short drain: the SIGTERM case checks the graceful path, not how long a registry-less drain waits.
    env: { ZONEMESH_SERVICE: 'pricing', ZONEMESH_ZONE: 'zone-a', ZONEMESH_PORT: String(port), ZONEMESH_VERSION: version, ZONEMESH_INSTANCE_ID: instanceId, ZONEMESH_DRAIN_PERIOD: '300ms' },
  });
}

describe('pricing process', () => {
  let v1: ServiceProcess;
  let v2: ServiceProcess;
  let v1Client: PricingServiceClient;
  let v2Client: PricingServiceClient;

  beforeAll(async () => {
    await buildProjects(['apps/pricing/tsconfig.lib.json'], root);
    [v1, v2] = await Promise.all([startPricing('v1', 'pricing-zone-a-1'), startPricing('v2', 'pricing-v2-zone-a-1')]);
    v1Client = contractClient(v1.ready.address, PRICING_CONTRACT);
    v2Client = contractClient(v2.ready.address, PRICING_CONTRACT);
  });

  afterAll(async () => {
    v1Client?.close();
    v2Client?.close();
    await Promise.all([v1?.stop('SIGKILL'), v2?.stop('SIGKILL')]);
  });

  it('announces itself with one ready line', () => {
    expect(v1.ready).toMatchObject({ event: 'ready', instanceId: 'pricing-zone-a-1', version: 'v1', registered: false });
  });

  it('v1 answers the list price and names the instance', async () => {
    const price = await callUnary<Price__Output>(v1Client, 'GetPrice', { productId: '42' });
    expect(price).toMatchObject({ ...priceFor('42', 'v1'), servedBy: 'pricing-zone-a-1', discountPercent: 0, total: 0 });
  });

  it('v2 fills the v2 fields and sees the caller\'s x-api-version', async () => {
    const metadata = new Metadata();
    metadata.set('x-api-version', 'v2');
    const price = await callUnary<Price__Output>(v2Client, 'GetPrice', { productId: '42' }, metadata);
    expect(price).toEqual({ ...priceFor('42', 'v2'), servedBy: 'pricing-v2-zone-a-1', requestedApiVersion: 'v2' });
    expect(price.total).toBeGreaterThan(0);
  });

  it.each([
    ['abc', status.INVALID_ARGUMENT],
    ['', status.INVALID_ARGUMENT],
    ['1'.repeat(65), status.INVALID_ARGUMENT],
    ['10001', status.NOT_FOUND],
  ])('rejects product id %j with status %d', async (productId, code) => {
    const error = (await callUnary(v1Client, 'GetPrice', { productId }).catch((e: unknown) => e)) as ServiceError;
    expect(error.code).toBe(code);
  });

  it('answers grpc.health.v1 Check with SERVING', async () => {
    expect(await healthCheck(v1.ready.address)).toBe('SERVING');
    expect(await healthCheck(v1.ready.address, PRICING_CONTRACT.fullName)).toBe('SERVING');
  });

  it('lists its service through server reflection', async () => {
    expect(await reflectionListServices(v1.ready.address)).toContain(PRICING_CONTRACT.fullName);
  });

  it('refuses a port already in use with one line and exit 1', async () => {
    const port = v1.ready.address.split(':')[1];
    const clash = spawnRaw({
      entry,
      cwd: root,
      env: { ZONEMESH_SERVICE: 'pricing', ZONEMESH_ZONE: 'zone-a', ZONEMESH_PORT: port, ZONEMESH_INSTANCE_ID: 'pricing-zone-a-9' },
    });
    expect(await clash.exited).toBe(1);
    expect(clash.stderr()).toBe(`pricing-zone-a-9: port ${port} is already in use\n`);
  });

  it('refuses bad configuration with one line naming the variable', async () => {
    const bad = spawnRaw({ entry, cwd: root, env: { ZONEMESH_SERVICE: 'pricing', ZONEMESH_ZONE: 'zone-a', ZONEMESH_PORT: 'http' } });
    expect(await bad.exited).toBe(1);
    expect(bad.stderr()).toBe('pricing: ZONEMESH_PORT: expected a port number 1-65535, got "http"\n');
  });

  it('exits 0 promptly on SIGTERM', async () => {
    // stop() falls back to SIGKILL after 5 s, which would not exit with 0.
    expect(await v2.stop('SIGTERM', 5_000)).toBe(0);
  });
});
