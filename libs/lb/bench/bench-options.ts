import { parseArgs } from 'node:util';
import type { BenchPolicy } from './bench-clients.js';
import type { E2eBenchOptions } from './e2e.bench.js';
import type { FailoverBenchOptions } from './failover.bench.js';
import type { PickBenchOptions } from './pick.bench.js';

export type LbBenchMode = 'full' | 'quick' | 'smoke';
export type LbBenchPart = 'pick' | 'e2e' | 'failover';

export interface LbBenchOptions {
  readonly mode: LbBenchMode;
  readonly parts: readonly LbBenchPart[];
  readonly pick: PickBenchOptions;
  readonly e2e: E2eBenchOptions;
  readonly failover: FailoverBenchOptions;
}

export const LB_BENCH_USAGE = `zonemesh bench lb [--quick | --smoke] [--only pick,e2e,failover] [--rounds N]
  [--failover-policies zonemesh,grpc_round_robin,grpc_outlier_detection] [--ttl 5s] [--health-interval 1s]
  full ~2.5 min, --quick ~30 s, --smoke a few seconds (proves the harness, figures meaningless).`;

const POLICIES: readonly BenchPolicy[] = ['zonemesh', 'grpc_round_robin', 'grpc_outlier_detection'];
const PARTS: readonly LbBenchPart[] = ['pick', 'e2e', 'failover'];

function defaults(mode: LbBenchMode): Omit<LbBenchOptions, 'mode' | 'parts'> {
  const failover: FailoverBenchOptions = {
    policies: POLICIES,
    rate: 500,
    // Issue 12: a zone kill at 16 and 64 calls in flight, beside the open loop.
    loads: [
      { kind: 'open', rate: 500 },
      { kind: 'closed', callers: 16 },
      { kind: 'closed', callers: 64 },
    ],
    warmupMs: 2_000,
    downMs: 3_000,
    failedInstanceTtl: '5s',
    healthInterval: '1s',
    recoverTimeoutMs: 15_000,
    rounds: 3,
  };
  switch (mode) {
    case 'full':
      return {
        pick: { sizes: [3, 30, 300, 3000], picks: 1_000_000, callPicks: 200_000, rounds: 5 },
        // Many short alternating rounds: on a shared 2-core machine noise comes in bursts of seconds.
        e2e: { rounds: 7, durationMs: 1_500, warmupMs: 1_000, concurrency: 32, withNoZone: true },
        failover: { ...failover, warmupMs: 1_500, downMs: 2_000 },
      };
    case 'quick':
      return {
        pick: { sizes: [3, 30, 300, 3000], picks: 200_000, callPicks: 50_000, rounds: 3 },
        e2e: { rounds: 5, durationMs: 800, warmupMs: 500, concurrency: 32, withNoZone: false },
        failover: { ...failover, warmupMs: 1_500, downMs: 2_000, recoverTimeoutMs: 10_000, rounds: 1, loads: [{ kind: 'open', rate: 500 }, { kind: 'closed', callers: 64 }] },
      };
    case 'smoke':
      return {
        pick: { sizes: [3, 300], picks: 3_000, callPicks: 1_000, rounds: 1 },
        e2e: { rounds: 1, durationMs: 300, warmupMs: 100, concurrency: 4, withNoZone: false },
        failover: { ...failover, policies: ['zonemesh'], rate: 100, loads: [{ kind: 'open', rate: 100 }, { kind: 'closed', callers: 16 }], warmupMs: 500, downMs: 800, failedInstanceTtl: '1s', healthInterval: '500ms', recoverTimeoutMs: 6_000, rounds: 1 },
      };
  }
}

function fail(message: string): never {
  throw new Error(`zonemesh bench lb: ${message}\n${LB_BENCH_USAGE}`);
}

function list<T extends string>(text: string, known: readonly T[], flag: string): T[] {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of items) if (!known.includes(item as T)) fail(`${flag}: unknown "${item}" (known: ${known.join(', ')})`);
  if (items.length === 0) fail(`${flag}: expected a comma-separated list`);
  return items as T[];
}

function duration(text: string, flag: string): string {
  if (!/^\d+(ms|s)$/.test(text)) fail(`${flag}: expected a duration like "5s" or "500ms", got "${text}"`);
  return text;
}

function durationMs(text: string): number {
  return text.endsWith('ms') ? Number(text.slice(0, -2)) : Number(text.slice(0, -1)) * 1000;
}

/** Parses the command line once into typed options; throws with the usage on a bad flag. */
export function parseLbBenchArgs(argv: readonly string[]): LbBenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean' },
        smoke: { type: 'boolean' },
        only: { type: 'string' },
        rounds: { type: 'string' },
        'failover-policies': { type: 'string' },
        ttl: { type: 'string' },
        'health-interval': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.quick && values.smoke) fail('--quick and --smoke exclude each other');
  const mode: LbBenchMode = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full';
  const d = defaults(mode);
  let { pick, e2e, failover } = d;
  if (values.rounds !== undefined) {
    const rounds = Number(values.rounds);
    if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) fail(`--rounds: expected a whole number from 1 to 20, got "${values.rounds}"`);
    pick = { ...pick, rounds };
    e2e = { ...e2e, rounds: Math.max(rounds, 3) };
  }
  if (values['failover-policies'] !== undefined) failover = { ...failover, policies: list(values['failover-policies'], POLICIES, '--failover-policies') };
  if (values.ttl !== undefined) failover = { ...failover, failedInstanceTtl: duration(values.ttl, '--ttl') };
  if (values['health-interval'] !== undefined) failover = { ...failover, healthInterval: duration(values['health-interval'], '--health-interval') };
  // Traffic can only return after the TTL and a health interval: wait at least that long (plus reconnect time).
  const needed = durationMs(failover.failedInstanceTtl) + 2 * durationMs(failover.healthInterval) + 4_000;
  failover = { ...failover, recoverTimeoutMs: Math.max(failover.recoverTimeoutMs, needed) };
  const parts = values.only === undefined ? PARTS : list(values.only, PARTS, '--only');
  return { mode, parts, pick, e2e, failover };
}

export { durationMs };
