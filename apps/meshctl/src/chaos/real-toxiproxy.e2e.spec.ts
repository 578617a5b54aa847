import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario, runScenario } from '@zonemesh/chaos';
import { GenericContainer, getContainerRuntimeClient, ImageName, TestContainers, Wait, type StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMeshConfig, withFreePorts } from '../mesh/mesh-config.js';
import { startMesh, type RunningMesh } from '../mesh/mesh-launcher.js';
import { planMesh } from '../mesh/mesh-plan.js';
import { freePort } from '../mesh/ports.js';
import { WORKSPACE_ROOT } from '../workspace.js';

const TOXIPROXY_IMAGE = 'ghcr.io/shopify/toxiproxy:2.12.0';

const bounded = <T>(what: Promise<T>, ms: number, why: string): Promise<T> =>
  Promise.race([what, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(why)), ms).unref())]);

/**
 * Why this run cannot happen here, or undefined: no Docker engine answers
 * (testcontainers' own probe), or the engine cannot get the Toxiproxy image
 * (no image registry reachable, as on our CI machines, where compose uses a
 * stand-in instead). testcontainers would also pull its Ryuk and sshd images
 * from the same registry, so one pull answers for all of them.
 */
async function cannotRun(): Promise<string | undefined> {
  let client;
  try {
    client = await bounded(getContainerRuntimeClient(), 10_000, 'no answer within 10 s');
  } catch (error) {
    return `no Docker engine (${(error as Error).message.split('\n')[0]})`;
  }
  try {
    const image = ImageName.fromString(TOXIPROXY_IMAGE);
    if (!(await client.image.exists(image))) await bounded(client.image.pull(image), 60_000, 'no answer within 60 s');
    return undefined;
  } catch (error) {
    return `the engine cannot pull ${TOXIPROXY_IMAGE} (${(error as Error).message.split('\n')[0]})`;
  }
}

const notHere = await cannotRun();
if (notHere) console.warn(`skipped: ${notHere} — the zone-outage run against the real Toxiproxy container needs both`);

/**
 * The same zone-outage scenario, unchanged, against Shopify's Toxiproxy in a
 * container instead of the embedded one: proof that scenarios speak only the
 * Toxiproxy API. Proxies listen in the container on the same port numbers
 * they are published on, so what instances advertise works from the host.
 */
describe.skipIf(notHere !== undefined)('zone-outage against the real Toxiproxy (testcontainers)', () => {
  let container: StartedTestContainer;
  let mesh: RunningMesh;
  let toxiproxyUrl: string;

  beforeAll(async () => {
    const config = withFreePorts(await loadMeshConfig(join(WORKSPACE_ROOT, 'mesh.yaml')));
    const proxyPorts: number[] = [];
    const upstreamPorts: number[] = [];
    // Phase 1: plan with placeholder API URL to learn every proxy's ports.
    let apiUrl = 'http://pending';
    const plan = await planMesh(config, {
      externalFaultProxy: {
        get apiUrl() {
          return apiUrl;
        },
        async address(_name, upstreamPort) {
          const port = await freePort(config.host);
          proxyPorts.push(port);
          upstreamPorts.push(upstreamPort);
          return { listen: `0.0.0.0:${port}`, upstream: `host.testcontainers.internal:${upstreamPort}`, advertiseHost: '127.0.0.1', advertisePort: port };
        },
      },
    });
    await TestContainers.exposeHostPorts(...upstreamPorts);
    container = await new GenericContainer(TOXIPROXY_IMAGE)
      .withExposedPorts(8474, ...proxyPorts.map((port) => ({ container: port, host: port })))
      .withWaitStrategy(Wait.forHttp('/version', 8474))
      .start();
    toxiproxyUrl = apiUrl = `http://${container.getHost()}:${container.getMappedPort(8474)}`;
    const logDir = await mkdtemp(join(tmpdir(), 'zonemesh-real-toxiproxy-'));
    mesh = await startMesh({ ...plan, toxiproxyUrl }, { logDir, readyTimeoutMs: 120_000 });
  }, 300_000);

  afterAll(async () => {
    await mesh?.stop();
    await container?.stop();
  }, 120_000);

  it('fails over and back with every assertion holding', async () => {
    const scenario = await loadScenario(join(WORKSPACE_ROOT, 'chaos/scenarios/zone-outage.yaml'));
    const result = await runScenario(scenario, {
      gatewayUrl: mesh.plan.gateway.url,
      toxiproxyUrl,
      registryUrls: Object.fromEntries(mesh.plan.registries.map((r) => [r.zone, r.url])),
    });
    const failed = result.journal.assertions.filter((a) => !a.passed).map((a) => `${a.name}: ${a.detail}`);
    expect(failed).toEqual([]);
    expect(result.passed).toBe(true);
  }, 180_000);
});
