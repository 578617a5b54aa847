import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readClusterSettings } from './cluster-settings.js';

describe('readClusterSettings', () => {
  it("reads an envoy_file entry relative to the clusters file, whatever the process's working directory", () => {
    const dir = mkdtempSync(join(tmpdir(), 'zonemesh-clusters-'));
    mkdirSync(join(dir, 'envoy'));
    writeFileSync(
      join(dir, 'envoy', 'pricing.yaml'),
      'name: pricing\ntype: STATIC\nlb_policy: LEAST_REQUEST\nload_assignment:\n  cluster_name: pricing\n  endpoints:\n    - lb_endpoints:\n        - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 7201 } } }\n',
    );
    writeFileSync(join(dir, 'mesh.yaml'), 'clusters:\n  - envoy_file: envoy/pricing.yaml\n  - { name: catalog, type: eureka, app: CATALOG }\n');
    const clusters = readClusterSettings(join(dir, 'mesh.yaml'));
    expect([...clusters.keys()]).toEqual(['pricing', 'catalog']);
    expect(clusters.get('pricing')).toMatchObject({ type: 'static', lbPolicy: 'least_request', endpoints: [{ address: '127.0.0.1:7201' }] });
  });

  it('names the file and the entry when the Envoy file is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zonemesh-clusters-'));
    writeFileSync(join(dir, 'mesh.yaml'), 'clusters:\n  - envoy_file: nowhere.yaml\n');
    expect(() => readClusterSettings(join(dir, 'mesh.yaml'))).toThrow(/mesh\.yaml: clusters\[0\]\.envoy_file: cannot read nowhere\.yaml: ENOENT/);
  });
});
