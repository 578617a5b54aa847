import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LB_BENCH_USAGE, parseLbBenchArgs, runLbBench } from '@zonemesh/lb/bench';
import { UsageError } from '../cli/usage-error.js';
import { GATEWAY_BENCH_DEFAULTS, runGatewayBench } from '../bench/gateway.bench.js';
import { runToxiproxyBench, TOXIPROXY_BENCH_DEFAULTS } from '../bench/toxiproxy.bench.js';
import { MeshError } from '../mesh/mesh-error.js';
import { WORKSPACE_ROOT } from '../workspace.js';

const GATEWAY_USAGE = `zonemesh bench gateway [--rounds N] [--duration 5s] [--connections N]
  The gateway (NestJS + Fastify + zonemesh lb) against a bare Fastify route with
  plain grpc-js, alternating rounds; ~1 min with the defaults.`;
const REGISTRY_USAGE = `zonemesh bench registry [INSTANCES...]
  One registry process over real HTTP against a bare Fastify route: registrations,
  renewals, full and delta fetches, replication, RSS; sizes default 10000 50000. Minutes.`;
const TOXIPROXY_USAGE = `zonemesh bench toxiproxy [--rounds N] [--mib N] [--pings N]
  Throughput and added round trip through the embedded proxy against a direct
  connection and a bare Node pipe() proxy.`;

/** Each benchmark's own usage (`zonemesh bench <name> --help`). */
export const BENCH_USAGES: Record<string, string> = { gateway: GATEWAY_USAGE, lb: LB_BENCH_USAGE, registry: REGISTRY_USAGE, toxiproxy: TOXIPROXY_USAGE };

export const BENCH_USAGE = `zonemesh bench <gateway|lb|registry|toxiproxy> [options]
  Measures against a baseline started in the same run; prints a table and a
  last line {"bench": ..., "ratio": ...}. Loopback only, bounded in time.
  Each bench's options: zonemesh bench <name> --help.`;

function seconds(text: string | undefined, fallbackMs: number, flag: string): number {
  if (text === undefined) return fallbackMs;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(text);
  if (!match) throw new UsageError(`${flag}: expected seconds like "5s", got "${text}"`);
  return Number(match[1]) * 1000;
}

function count(text: string | undefined, fallback: number, flag: string, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${flag}: expected a whole number from 1 to ${max}, got "${text}"`);
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
  if (which === 'registry') {
    for (const size of rest) count(size, 0, 'bench registry: INSTANCES', 200_000);
    return runScript('apps/registry/dist/bench/registry.bench.js', rest);
  }
  if (which === 'lb') {
    try {
      parseLbBenchArgs(rest);
    } catch (error) {
      throw new UsageError((error as Error).message.split('\n')[0]!.replace(/^zonemesh bench lb: /, 'bench lb: '));
    }
    console.log(JSON.stringify(await runLbBench(rest)));
    return 0;
  }
  if (which === 'toxiproxy') return toxiproxyBench(rest);
  if (which !== 'gateway') throw new UsageError(`unknown benchmark "${which ?? ''}"; expected ${Object.keys(BENCH_USAGES).join(', ')}`);
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
