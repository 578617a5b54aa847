import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chaosCommand } from './chaos.command.js';

describe('zonemesh chaos run (argument and scenario validation)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chaos-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('rejects an invalid scenario with its path before starting anything', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'name: bad\nload: { rate: 10, duration: 5s }\nsteps:\n  - { name: s, at: 1s, fault: { type: explode, targets: { zone: zone-a } } }\nassertions: [{ p99: { max: 1s } }]\n');
    await expect(chaosCommand(['run', file])).rejects.toThrow(`steps[0].fault.type: expected one of down, latency, timeout, reset_peer, bandwidth, limit_data, kill, got "explode" (in ${file})`);
  });

  it('rejects inconsistent flags with one line', async () => {
    await expect(chaosCommand(['walk'])).rejects.toThrow(/expected "run"/);
    await expect(chaosCommand(['run', '--all', '--gateway', 'http://127.0.0.1:1'])).rejects.toThrow('--gateway and --toxiproxy go together');
    await expect(chaosCommand(['run', '--all', '--baseline', 'random'])).rejects.toThrow('--baseline: expected grpc-rr, got "random"');
    await expect(chaosCommand(['run', 'x.yaml', '--all'])).rejects.toThrow(/not both/);
  });
});
