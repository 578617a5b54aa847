import { afterEach, describe, expect, it } from 'vitest';
import { type CliResult, runRegistryCli } from './registry-cli.js';

let started: CliResult[] = [];
afterEach(async () => {
  await Promise.all(started.map((r) => ('registry' in r ? r.registry.close() : undefined)));
  started = [];
});

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const result = await runRegistryCli(argv, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
  started.push(result);
  return { result, out, err };
}

describe('registry CLI', () => {
  it('starts on a free port, prints the timings and a JSON listening line', async () => {
    const { result, out, err } = await run(['--port', '0', '--zone', 'zone-b'], { ZONEMESH_REGISTRY_PROFILE: 'eureka' });
    expect(err).toEqual([]);
    expect('registry' in result).toBe(true);
    expect(out.some((l) => l.includes('eviction every 60s') && l.includes('self-preservation on'))).toBe(true);
    const listening = JSON.parse(out.at(-1)!);
    expect(listening).toMatchObject({ event: 'listening', zone: 'zone-b', timings: { profile: 'eureka' } });
    expect((await fetch(`${listening.url}/apps`, { headers: { accept: 'application/json' } })).status).toBe(200);
  });

  it('exits 2 with one line naming the bad value', async () => {
    const { result, out, err } = await run(['--port', '99999']);
    expect(result).toEqual({ exitCode: 2 });
    expect(err).toEqual(['registry: --port: expected a port number 0-65535, got "99999"']);
    expect(out).toEqual([]);
  });

  it('exits 1 with one sentence when the port is taken', async () => {
    const first = await run(['--port', '0']);
    const port = 'registry' in first.result ? first.result.registry.port : -1;
    const { result, err } = await run(['--port', String(port), '--zone', 'zone-a']);
    expect(result).toEqual({ exitCode: 1 });
    expect(err).toEqual([`registry: port ${port} is already in use (zone-a)`]);
  });
});
