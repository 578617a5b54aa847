import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runLbBench } from '@zonemesh/lb/bench';
import { GATEWAY_BENCH_DEFAULTS, runGatewayBench } from '../bench/gateway.bench.js';
import { runToxiproxyBench, TOXIPROXY_BENCH_DEFAULTS } from '../bench/toxiproxy.bench.js';
import { MeshError } from '../mesh/mesh-error.js';
import { WORKSPACE_ROOT } from '../workspace.js';

export const BENCH_USAGE = `zonemesh bench <gateway|lb|registry|toxiproxy> [--rounds N] [--duration 5s] [--connections N]
  (toxiproxy: [--rounds N] [--mib N] [--pings N])
  Measures against a baseline started in the same run; prints a table and a
  last line {"bench": ..., "ratio": ...}. Loopback only, bounded in time.`;

function seconds(text: string | undefined, fallbackMs: number, flag: string): number {
  if (text === undefined) return fallbackMs;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(text);
  if (!match) throw new MeshError(`${flag}: expected seconds like "5s", got "${text}"`);
  return Number(match[1]) * 1000;
}

function count(text: string | undefined, fallback: number, flag: string, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new MeshError(`${flag}: expected a whole number from 1 to ${max}, got "${text}"`);
  return n;
}

/** Benchmarks that live in another app run as that app's compiled script: apps never import apps. */
function runScript(relativePath: string, args: string[]): Promise<number> {
  const script = join(WORKSPACE_ROOT, relativePath);
  if (!existsSync(script)) throw new MeshError(`${relativePath} is missing; run \`npm run build\``);
  const child = spawn(process.execPath, [script, ...args], { stdio: 'inherit' });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

export async function benchCommand(argv: string[]): Promise<number> {
  const [which, ...rest] = argv;
  if (which === 'registry') return runScript('apps/registry/dist/bench/registry.bench.js', rest);
  if (which === 'lb') {
    console.log(JSON.stringify(await runLbBench(rest)));
    return 0;
  }
  if (which === 'toxiproxy') return toxiproxyBench(rest);
  if (which !== 'gateway') throw new MeshError(`unknown benchmark "${which ?? ''}"; expected gateway, lb, registry or toxiproxy`);
  const { values } = parseArgs({
    args: rest,
    options: { rounds: { type: 'string' }, duration: { type: 'string' }, connections: { type: 'string' } },
    strict: true,
  });
  const result = await runGatewayBench({
    rounds: count(values.rounds, GATEWAY_BENCH_DEFAULTS.rounds, '--rounds', 20),
    durationMs: seconds(values.duration, GATEWAY_BENCH_DEFAULTS.durationMs, '--duration'),
    connections: count(values.connections, GATEWAY_BENCH_DEFAULTS.connections, '--connections', 256),
    warmupMs: GATEWAY_BENCH_DEFAULTS.warmupMs,
  });
  console.log(JSON.stringify(result));
  return 0;
}

async function toxiproxyBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { rounds: { type: 'string' }, mib: { type: 'string' }, pings: { type: 'string' } }, strict: true });
  const d = TOXIPROXY_BENCH_DEFAULTS;
  const result = await runToxiproxyBench({
    rounds: count(values.rounds, d.rounds, '--rounds', 20),
    bytes: count(values.mib, d.bytes / 1024 / 1024, '--mib', 4096) * 1024 * 1024,
    pings: count(values.pings, d.pings, '--pings', 100_000),
    pingBytes: d.pingBytes,
  });
  console.log(JSON.stringify(result));
  return 0;
}
