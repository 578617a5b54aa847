import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseYamlSource } from '@zonemesh/config';
import { parseClustersConfig } from '../cluster-config.parse.js';
import { detectClusterFormat, readForeignClusterFile, zonemeshClusterSources } from './cluster-file.read.js';
import { explainClusters, type ExplainedFile } from './explain-clusters.js';

const example = (name: string) => parseYamlSource(readFileSync(new URL(`../../../examples/${name}`, import.meta.url), 'utf8'), name);
const row = (explained: ExplainedFile, key: string) => explained.clusters[0]!.settings.find((s) => s.key === key);

describe('config explain: every effective setting, where it came from, its native name', () => {
  it('explains the Envoy seed with file:line for what it writes and Envoy defaults for the rest', () => {
    const source = example('envoy-cluster.yaml');
    expect(detectClusterFormat(source.value)).toBe('envoy');
    const explained = explainClusters(source, readForeignClusterFile(source, 'envoy'));
    const text = readFileSync(new URL('../../../examples/envoy-cluster.yaml', import.meta.url), 'utf8').split('\n');
    const consecutive = row(explained, 'outlier_detection.consecutive_errors')!;
    expect(consecutive).toMatchObject({ value: '3', native: 'outlier_detection.consecutive_5xx' });
    expect(text[Number(consecutive.from.split(':')[1]) - 1]).toContain('consecutive_5xx: 3');
    const healthPort = row(explained, 'endpoints[0].metadata.health_check_port')!;
    expect(text[Number(healthPort.from.split(':')[1]) - 1]).toContain('port_value: 8282');
    expect(row(explained, 'outlier_detection.max_ejection_time')).toEqual({ key: 'outlier_detection.max_ejection_time', value: '5m', from: 'default', native: 'outlier_detection.max_ejection_time' });
    expect(row(explained, 'zone_failover.failed_instance_ttl')).toMatchObject({ value: '0ms', from: 'default', native: '- (none: Envoy fails back at once)' });
    expect(row(explained, 'health_checks[0].http_health_check.path')).toMatchObject({ value: '/heathcheck', native: 'health_checks[].http_health_check.path' });
    expect(explained.notes).toHaveLength(1);
  });

  it('explains the eurekube seed with Spring property names', () => {
    const source = example('eurekube-zone-failover.yaml');
    expect(detectClusterFormat(source.value)).toBe('spring');
    const explained = explainClusters(source, readForeignClusterFile(source, 'spring'));
    expect(explained.clusters[0]!.callerZone).toBe('eks');
    expect(row(explained, 'zone_failover.failed_instance_ttl')).toMatchObject({ value: '20m', from: 'eurekube-zone-failover.yaml:11', native: 'eurekube.zone-failover.cache.ttl' });
    expect(row(explained, 'connect_timeout')).toMatchObject({ value: '5s', native: 'eurekube.webclient.timeout.connect-timeout (ms)' });
    expect(row(explained, 'retry_policy.per_try_timeout')).toMatchObject({ value: '5s', native: 'eurekube.webclient.timeout.read-timeout (ms)' });
    expect(row(explained, 'endpoints[3].zone')).toMatchObject({ value: 'eks', native: 'spring.cloud.discovery.simple.instances.<id>[].metadata.zone' });
  });

  it("explains zonemesh's own clusters: the same key, its line, or default", () => {
    const source = parseYamlSource('clusters:\n  - name: a\n    type: static\n    endpoints: [{ address: "127.0.0.1:7001" }]\n    lb_policy: random\n', 'mesh.yaml');
    expect(detectClusterFormat(source.value)).toBe('zonemesh');
    const explained = explainClusters(source, { format: 'zonemesh', clusters: zonemeshClusterSources(parseClustersConfig(source.value)), notes: [] });
    expect(row(explained, 'lb_policy')).toEqual({ key: 'lb_policy', value: 'random', from: 'mesh.yaml:5', native: 'lb_policy' });
    expect(row(explained, 'connect_timeout')).toMatchObject({ value: '5s', from: 'default' });
  });

  it('refuses a document of no known format', () => {
    expect(() => detectClusterFormat({ listeners: [] })).toThrow(/cannot tell the format/);
    expect(() => detectClusterFormat([1])).toThrow(/expected a map/);
  });
});
