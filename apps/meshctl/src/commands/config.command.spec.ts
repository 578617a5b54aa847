import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '@zonemesh/config';
import type { ExplainedFile } from '@zonemesh/lb';
import { WORKSPACE_ROOT } from '../workspace.js';
import { configCommand } from './config.command.js';

const EXAMPLES = join(WORKSPACE_ROOT, 'libs/lb/examples');

describe('zonemesh config explain', () => {
  let dir: string;
  let printed: string[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'config-explain-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  afterEach(() => vi.restoreAllMocks());
  const capture = () => {
    printed = [];
    vi.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
  };
  const json = async (file: string): Promise<ExplainedFile> => {
    capture();
    expect(await configCommand(['explain', file, '--json'])).toBe(0);
    return JSON.parse(printed.join('\n')) as ExplainedFile;
  };

  it('explains the Envoy seed as a table: Envoy names, file:line, notes', async () => {
    const file = join(EXAMPLES, 'envoy-cluster.yaml');
    capture();
    expect(await configCommand(['explain', file])).toBe(0);
    const text = printed.join('\n');
    expect(text).toContain(`cluster internal_service_A (envoy: ${file})`);
    expect(text).toMatch(new RegExp(`outlier_detection\\.consecutive_errors +3 +${file}:\\d+ +outlier_detection\\.consecutive_5xx`));
    expect(text).toMatch(/outlier_detection\.max_ejection_time +5m +default +outlier_detection\.max_ejection_time/);
    expect(text).toMatch(/health_checks\[0\]\.http_health_check\.path +\/heathcheck/);
    expect(text).toContain('http2_protocol_options: accepted; grpc-js negotiates HTTP/2');
  });

  it('explains the eurekube seed as JSON: preferred zone, 20m TTL, 5 s timeouts', async () => {
    const explained = await json(join(EXAMPLES, 'eurekube-zone-failover.yaml'));
    expect(explained.format).toBe('spring');
    const [cluster] = explained.clusters;
    expect(cluster).toMatchObject({ name: 'serviceId', callerZone: 'eks' });
    const value = (key: string) => cluster!.settings.find((s) => s.key === key)?.value;
    expect([value('zone_failover.failed_instance_ttl'), value('connect_timeout'), value('retry_policy.per_try_timeout'), value('zone_failover.zone_order')]).toEqual(['20m', '5s', '5s', 'eks']);
  });

  it('explains mesh.yaml with its own keys', async () => {
    const explained = await json(join(WORKSPACE_ROOT, 'mesh.yaml'));
    expect(explained.format).toBe('zonemesh');
    expect(explained.clusters.length).toBeGreaterThan(0);
    expect(explained.clusters[0]!.settings.find((s) => s.key === 'name')).toMatchObject({ from: expect.stringMatching(/mesh\.yaml:\d+$/), native: 'name' });
  });

  it('names the file and the path of bad input; usage mistakes are usage errors', async () => {
    const file = join(dir, 'envoy.yaml');
    await writeFile(file, 'name: a\nload_assignment: { endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 7001 } } } }] }] }\noutlier_detection: { consecutive_5xx: 3, interval: soon }\n');
    await expect(configCommand(['explain', file])).rejects.toThrow(new ConfigError(`${file}:3: outlier_detection.interval`, 'expected a duration like "10s"'));
    await writeFile(file, 'listeners: []\n');
    await expect(configCommand(['explain', file])).rejects.toThrow(/cannot tell the format/);
    await expect(configCommand(['explain'])).rejects.toThrow(/FILE is required/);
    await expect(configCommand(['show', file])).rejects.toThrow(/expected "explain"/);
  });
});
