import type { ClusterSample } from './cluster-sample.js';
import { extractBreakers, extractEndpoints } from './cluster-sample.js';
import { Poller } from './poller.js';
import { countUpInstances, registryAppsUrl, type RegistrySample } from './registry-sample.js';

/**
 * Polls the gateway's /admin/clusters and every registry while a scenario
 * runs. A gateway without /admin/clusters (404) is polled no further: the
 * assertions then infer ejection from traffic.
 */
export class Observers {
  readonly clusterSamples: ClusterSample[] = [];
  readonly registrySamples: RegistrySample[] = [];
  clustersAvailable = true;
  private readonly pollers: Poller[] = [];

  constructor(
    private readonly gatewayUrl: string,
    private readonly registryUrls: Readonly<Record<string, string>>,
    private readonly elapsedMs: () => number,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.pollers.push(new Poller(this.intervalMs, () => this.sampleClusters()));
    for (const [zone, url] of Object.entries(this.registryUrls)) {
      this.pollers.push(new Poller(Math.max(this.intervalMs, 500), () => this.sampleRegistry(zone, url)));
    }
    for (const p of this.pollers) p.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.pollers.map((p) => p.stop()));
  }

  private async sampleClusters(): Promise<void> {
    if (!this.clustersAvailable) return;
    const t = this.elapsedMs();
    const response = await fetch(`${this.gatewayUrl.replace(/\/+$/, '')}/admin/clusters`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(1000),
    });
    if (response.status === 404) {
      this.clustersAvailable = false;
      await response.arrayBuffer();
      return;
    }
    if (!response.ok) {
      await response.arrayBuffer();
      return;
    }
    const document: unknown = await response.json();
    const breakers = extractBreakers(document);
    this.clusterSamples.push({ t: Math.round(t), endpoints: extractEndpoints(document), ...(breakers.length ? { breakers } : {}) });
  }

  private async sampleRegistry(zone: string, url: string): Promise<void> {
    const t = Math.round(this.elapsedMs());
    try {
      const response = await fetch(registryAppsUrl(url), { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(1000) });
      if (!response.ok) {
        await response.arrayBuffer();
        this.registrySamples.push({ t, zone, error: `HTTP ${response.status}` });
        return;
      }
      this.registrySamples.push({ t, zone, instances: countUpInstances(await response.json()) });
    } catch (error) {
      this.registrySamples.push({ t, zone, error: (error as Error).name === 'TimeoutError' ? 'timeout' : (error as Error).message });
    }
  }
}
