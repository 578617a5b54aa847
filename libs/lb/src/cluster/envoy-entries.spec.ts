import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseClusterList } from './cluster-config.parse.js';
import { readEnvoyClusters } from './envoy/envoy-cluster.parse.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const readExample = (file: string): unknown => parseYaml(readFileSync(`${EXAMPLES}${file}`, 'utf8'));

/** mesh.yaml's clusters may be Envoy clusters, inline or in a file, read with Envoy's spellings and defaults (issue 14 item 1). */
describe('Envoy clusters in a mesh.yaml clusters list', () => {
  const seed = readEnvoyClusters(readExample('envoy-cluster.yaml')).clusters[0]!.config;

  it('envoy_file: every cluster of the file, exactly as the Envoy reader makes it, beside our own', () => {
    const clusters = parseClusterList([{ envoy_file: 'envoy-cluster.yaml' }, { name: 'catalog', type: 'eureka', app: 'CATALOG' }], 'clusters', { readFile: readExample });
    expect(clusters.map((c) => c.name)).toEqual(['internal_service_A', 'catalog']);
    expect(clusters[0]).toEqual(seed);
    // Envoy's spellings took Envoy's meaning: consecutive_5xx 3, max_ejection_percent 50, thresholds 1/1.
    expect(clusters[0]!.outlierDetection).toMatchObject({ consecutiveErrors: 3, maxEjectionPercent: 50, baseEjectionTimeMs: 10_000 });
    expect(clusters[0]!.healthChecks[0]).toMatchObject({ unhealthyThreshold: 1, healthyThreshold: 1 });
  });

  it('envoy: one cluster inline, the same as from the file', () => {
    const document = readExample('envoy-cluster.yaml') as { static_resources: { clusters: unknown[] } };
    const [cluster] = parseClusterList([{ envoy: document.static_resources.clusters[0] }]);
    expect(cluster).toEqual(seed);
  });

  it('names the problem with its path: inside an inline cluster, inside the file, a missing file, or both keys', () => {
    expect(() => parseClusterList([{ envoy: { name: 'a', type: 'static', lb_policy: 'MAGLEV_PLUS' } }])).toThrow(/^clusters\[0\]\.envoy\.lb_policy: /);
    expect(() => parseClusterList([{ envoy_file: 'bad.yaml' }], 'clusters', { readFile: () => ({ name: 'a', type: 'static', lb_policy: 'MAGLEV_PLUS' }) })).toThrow(
      /^clusters\[0\]\.envoy_file: bad\.yaml: lb_policy: /,
    );
    expect(() =>
      parseClusterList([{ envoy_file: 'gone.yaml' }], 'clusters', {
        readFile: () => {
          throw new Error('ENOENT: no such file or directory');
        },
      }),
    ).toThrow('clusters[0].envoy_file: cannot read gone.yaml: ENOENT: no such file or directory');
    expect(() => parseClusterList([{ envoy_file: 'envoy-cluster.yaml' }])).toThrow(/^clusters\[0\]\.envoy_file: an Envoy file can only be named from a configuration file/);
    expect(() => parseClusterList([{ envoy: {}, envoy_file: 'x.yaml' }])).toThrow('clusters[0]: give envoy (an inline Envoy Cluster) or envoy_file, not both');
  });

  it('refuses a name the file and the list both define', () => {
    expect(() => parseClusterList([{ envoy_file: 'envoy-cluster.yaml' }, { name: 'internal_service_A', type: 'eureka', app: 'A' }], 'clusters', { readFile: readExample })).toThrow(
      'clusters[1].name: cluster "internal_service_A" is defined twice',
    );
  });
});
