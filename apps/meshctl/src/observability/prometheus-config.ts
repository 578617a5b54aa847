import { stringify } from 'yaml';
import type { MeshPlan, ProcessSpec } from '../mesh/mesh-plan.js';

/** The part of prometheus.yml that zonemesh writes. */
export interface PrometheusConfig {
  readonly global: { readonly scrape_interval: string; readonly scrape_timeout: string; readonly evaluation_interval: string };
  readonly scrape_configs: readonly ScrapeConfig[];
}

export interface ScrapeConfig {
  readonly job_name: string;
  /** Keep the service/zone/instance labels the processes put on every series (see TOOLCHAIN: zone vs exported_zone). */
  readonly honor_labels: true;
  readonly metrics_path: string;
  readonly static_configs: readonly { readonly targets: readonly string[]; readonly labels: Readonly<Record<string, string>> }[];
}

export interface PrometheusConfigOptions {
  /** Default 5s; the dashboards check uses 1s. */
  readonly scrapeInterval?: string;
}

/** Zone label of processes outside any zone (the fault proxy), as its metrics carry it. */
const SHARED_ZONE = 'shared';

function target(spec: ProcessSpec): { address: string; path: string } {
  const url = new URL(spec.metricsUrl);
  return { address: url.host, path: url.pathname };
}

/**
 * A Prometheus config scraping every process of a planned mesh on its local
 * ports: one job per app (gateway, registry, catalog, ...), one target per
 * process, labelled like the series it exports so `up` groups the same way.
 */
export function prometheusConfigForPlan(plan: MeshPlan, options: PrometheusConfigOptions = {}): PrometheusConfig {
  const interval = options.scrapeInterval ?? '5s';
  const jobs = new Map<string, ProcessSpec[]>();
  for (const spec of plan.all) jobs.set(spec.app, [...(jobs.get(spec.app) ?? []), spec]);
  const scrape_configs: ScrapeConfig[] = [...jobs].map(([app, specs]) => {
    const paths = new Set(specs.map((s) => target(s).path));
    if (paths.size !== 1) throw new Error(`processes of ${app} serve metrics on different paths: ${[...paths].join(', ')}`);
    return {
      job_name: app,
      honor_labels: true,
      metrics_path: [...paths][0]!,
      static_configs: specs.map((spec) => ({
        targets: [target(spec).address],
        labels: {
          service: spec.app,
          zone: spec.zone === '-' ? SHARED_ZONE : spec.zone,
          instance: spec.env.ZONEMESH_INSTANCE_ID ?? spec.name,
          ...(spec.version ? { version: spec.version } : {}),
        },
      })),
    };
  });
  return {
    global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
    scrape_configs,
  };
}

export function renderPrometheusConfig(config: PrometheusConfig): string {
  return stringify(config, { lineWidth: 0 });
}
