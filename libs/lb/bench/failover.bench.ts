import { clusterSnapshots } from '@zonemesh/lb';
import { benchClient, POLICY_LABELS, type BenchPolicy } from './bench-clients.js';
import type { BenchServers } from './bench-servers.process.js';
import { median, renderTable, round } from './bench-table.js';
import { closedLoopRecorded, openLoop, type CallRecord } from './load.js';
import { observePicks } from './observing.balancer.js';

/** How the failover section loads the caller: calls/s whatever the latency, or N callers in a closed loop. */
export type FailoverLoad = { readonly kind: 'open'; readonly rate: number } | { readonly kind: 'closed'; readonly callers: number };

export function loadLabel(load: FailoverLoad): string {
  return load.kind === 'open' ? `${load.rate} calls/s open loop` : `${load.callers} concurrent callers`;
}

/** The JSON key of a load: `open_500`, `closed_64`. */
export function loadKey(load: FailoverLoad): string {
  return load.kind === 'open' ? `open_${load.rate}` : `closed_${load.callers}`;
}

export interface FailoverBenchOptions {
  readonly policies: readonly BenchPolicy[];
  /** The open-loop rate (the first load; kept for the figures' keys). */
  readonly rate: number;
  /** Every load the section runs, each with every policy and round. */
  readonly loads: readonly FailoverLoad[];
  readonly warmupMs: number;
  /** How long the caller's zone refuses connections. */
  readonly downMs: number;
  readonly failedInstanceTtl: string;
  readonly healthInterval: string;
  /** Give up waiting for traffic to return after this long (reported as not returned). */
  readonly recoverTimeoutMs: number;
  /** Runs per policy, alternating policies; figures are medians. */
  readonly rounds: number;
}

export interface FailoverResult {
  readonly policy: BenchPolicy;
  readonly calls: number;
  /** Calls that failed for the caller, from the kill to the end of the run. */
  readonly errors: number;
  readonly errorsBeforeKill: number;
  /** Kill -> the last attempt sent to a zone-a endpoint. */
  readonly failoverS: number;
  /** Recovery -> zone-a's share of attempts is back to 90% of what it was before the kill (null: not within the timeout). */
  readonly failbackS: number | null;
  /** Share of attempts zone-a had before the kill. */
  readonly zoneAShareBefore: number;
  /** Slowest call started within 2 s after the kill (what a retry or a queued pick cost). */
  readonly maxLatencyAfterKillMs: number;
  /** Attempts sent to zone-a while it was down (each one failed or was retried). */
  readonly attemptsToDeadZone: number;
  /** Ours only: recovery -> every zone-a endpoint connected again (failback waits for this, then the TTL). */
  readonly reconnectS: number | null;
  readonly skipped: number;
  readonly sampleErrors: readonly string[];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One failover run: calls at `rate`/s from a caller in zone-a; every zone-a
 * server is stopped (connections dropped, new ones refused), restarted after
 * `downMs`, and the run ends once zone-a has its traffic back (or at the
 * timeout). Every attempt's destination comes from a pass-through policy
 * around the one under test, so ours and the baselines are observed alike.
 */
export async function runFailover(servers: BenchServers, policy: BenchPolicy, options: FailoverBenchOptions, load: FailoverLoad): Promise<FailoverResult> {
  const zoneA = servers.servers.filter((s) => s.zone === 'zone-a');
  const zoneOf = new Map(servers.servers.map((s) => [s.address, s.zone]));
  const name = `bench-failover-${policy}-${Date.now()}`;
  const clock = () => performance.now();
  const pickAt: number[] = [];
  const pickLocal: boolean[] = [];
  const unobserve = observePicks(name, (address) => {
    pickAt.push(clock());
    pickLocal.push(zoneOf.get(address) === 'zone-a');
  });
  const client = benchClient({
    policy,
    servers: servers.servers,
    name,
    zone: 'zone-a',
    failedInstanceTtl: options.failedInstanceTtl,
    healthInterval: options.healthInterval,
    observe: true,
  });
  try {
    await client.who(10_000);
    const calls =
      load.kind === 'open'
        ? openLoop(client, { rate: load.rate, deadlineMs: 2_000, maxInFlight: Math.max(50, load.rate), clock })
        : closedLoopRecorded(client, { callers: load.callers, deadlineMs: 2_000, clock });
    await sleep(options.warmupMs);
    const tKill = clock();
    const shareBefore = localShare(pickAt, pickLocal, tKill - Math.min(1_000, options.warmupMs / 2), tKill);
    await servers.stop(zoneA.map((s) => s.id));
    await sleep(options.downMs);
    await servers.restart(zoneA.map((s) => s.id));
    const tRecover = clock();
    let reconnectAt: number | null = null;
    let returnedAt: number | null = null;
    const window = 500;
    while (clock() - tRecover < options.recoverTimeoutMs) {
      await sleep(100);
      const now = clock();
      if (policy === 'zonemesh' && reconnectAt === null) {
        const snapshot = clusterSnapshots().find((c) => c.cluster === name);
        if (snapshot?.endpoints.filter((e) => e.zone === 'zone-a').every((e) => e.state === 'READY')) reconnectAt = now;
      }
      if (returnedAt === null) returnedAt = firstReturn(pickAt, pickLocal, tRecover, now - window, window, shareBefore);
      // Hold a little after the return, so the table shows it stuck.
      if (returnedAt !== null && now - returnedAt > 1_000 + window) break;
    }
    await calls.stop();
    return summarize(policy, calls.records, calls.skipped(), { pickAt, pickLocal, tKill, tRecover, shareBefore, returnedAt, reconnectAt });
  } finally {
    unobserve();
    client.close();
    // Leave the zone up for the next policy's run.
    await servers.restart(zoneA.map((s) => s.id));
  }
}

/** Share of attempts that went to zone-a in [from, to). */
function localShare(at: readonly number[], local: readonly boolean[], from: number, to: number): number {
  let n = 0;
  let l = 0;
  for (let i = 0; i < at.length; i += 1) {
    if (at[i]! < from || at[i]! >= to) continue;
    n += 1;
    if (local[i]) l += 1;
  }
  return n === 0 ? 0 : l / n;
}

/** The start of the first `window` after `from` (stepping 50 ms, up to `until`) in which zone-a has >= 90% of its old share. */
function firstReturn(at: readonly number[], local: readonly boolean[], from: number, until: number, window: number, shareBefore: number): number | null {
  for (let t = from; t <= until; t += 50) {
    const share = localShare(at, local, t, t + window);
    if (share > 0 && share >= 0.9 * shareBefore) {
      // The return began with the first zone-a attempt of that window.
      for (let i = 0; i < at.length; i += 1) if (at[i]! >= t && local[i]) return at[i]!;
    }
  }
  return null;
}

function summarize(
  policy: BenchPolicy,
  records: readonly CallRecord[],
  skipped: number,
  run: { pickAt: number[]; pickLocal: boolean[]; tKill: number; tRecover: number; shareBefore: number; returnedAt: number | null; reconnectAt: number | null },
): FailoverResult {
  const { pickAt, pickLocal, tKill, tRecover } = run;
  let lastDead = tKill;
  let attemptsToDeadZone = 0;
  for (let i = 0; i < pickAt.length; i += 1) {
    if (pickAt[i]! < tKill || pickAt[i]! > tRecover || !pickLocal[i]) continue;
    attemptsToDeadZone += 1;
    lastDead = Math.max(lastDead, pickAt[i]!);
  }
  const failed = records.filter((r) => r.error !== undefined);
  const afterKill = records.filter((r) => r.startMs >= tKill - 2_000 && r.startMs <= tKill + 2_000 && r.endMs >= tKill);
  return {
    policy,
    calls: records.length,
    errors: failed.filter((r) => r.endMs >= tKill).length,
    errorsBeforeKill: failed.filter((r) => r.endMs < tKill).length,
    failoverS: round((lastDead - tKill) / 1000, 3),
    failbackS: run.returnedAt === null ? null : round((run.returnedAt - tRecover) / 1000, 3),
    zoneAShareBefore: round(run.shareBefore, 3),
    maxLatencyAfterKillMs: round(Math.max(0, ...afterKill.map((r) => r.endMs - r.startMs)), 1),
    attemptsToDeadZone,
    reconnectS: run.reconnectAt === null ? null : round((run.reconnectAt - tRecover) / 1000, 3),
    skipped,
    sampleErrors: [...new Set(failed.map((r) => r.error!))].slice(0, 3),
  };
}

/** The median run of a policy (by failback, then errors) with the per-round figures. */
export interface FailoverSummary extends FailoverResult {
  readonly load: FailoverLoad;
  readonly rounds: readonly FailoverResult[];
  /** Failed calls summed over every round: a median would hide a bad round. */
  readonly errorsTotal: number;
  readonly errorsWorstRound: number;
}

function medianOf(values: ReadonlyArray<number | null>): number | null {
  if (values.some((v) => v === null)) {
    // A round that never failed back counts as the worst: the median is null when most rounds are.
    const known = values.filter((v): v is number => v !== null);
    if (known.length <= values.length / 2) return null;
    const padded = [...known, ...Array(values.length - known.length).fill(Number.POSITIVE_INFINITY)];
    const m = median(padded);
    return Number.isFinite(m) ? round(m, 3) : null;
  }
  return round(median(values as number[]), 3);
}

function summarizeRounds(load: FailoverLoad, rounds: readonly FailoverResult[]): FailoverSummary {
  const first = rounds[0]!;
  const m = (pick: (r: FailoverResult) => number) => round(median(rounds.map(pick)), 3);
  return {
    ...first,
    calls: m((r) => r.calls),
    errors: m((r) => r.errors),
    errorsBeforeKill: m((r) => r.errorsBeforeKill),
    failoverS: m((r) => r.failoverS),
    failbackS: medianOf(rounds.map((r) => r.failbackS)),
    zoneAShareBefore: m((r) => r.zoneAShareBefore),
    maxLatencyAfterKillMs: m((r) => r.maxLatencyAfterKillMs),
    attemptsToDeadZone: m((r) => r.attemptsToDeadZone),
    reconnectS: medianOf(rounds.map((r) => r.reconnectS)),
    skipped: m((r) => r.skipped),
    sampleErrors: [...new Set(rounds.flatMap((r) => r.sampleErrors))].slice(0, 3),
    load,
    rounds,
    errorsTotal: rounds.reduce((n, r) => n + r.errors, 0),
    errorsWorstRound: Math.max(...rounds.map((r) => r.errors)),
  };
}

/**
 * Runs every load, and under each every policy in turn over the same
 * servers, `rounds` times; prints per-load tables with failed calls summed
 * over the rounds and the worst round beside the medians.
 */
export async function runFailoverBench(servers: BenchServers, options: FailoverBenchOptions, log: (line: string) => void): Promise<FailoverSummary[]> {
  const results: FailoverSummary[] = [];
  for (const load of options.loads) {
    log(`\n-- ${loadLabel(load)} --`);
    const runs = new Map<BenchPolicy, FailoverResult[]>(options.policies.map((p) => [p, []]));
    for (let round = 0; round < options.rounds; round += 1) {
      for (const policy of options.policies) {
        const result = await runFailover(servers, policy, options, load);
        runs.get(policy)!.push(result);
        log(
          `  round ${round + 1} ${POLICY_LABELS[policy]}: failed ${result.errors}, failover ${result.failoverS} s, ` +
            `failback ${result.failbackS ?? 'none'} s, attempts to dead zone ${result.attemptsToDeadZone}, skipped ${result.skipped}`,
        );
      }
    }
    const summaries = options.policies.map((p) => summarizeRounds(load, runs.get(p)!));
    results.push(...summaries);
    const fmt = (v: number | null) => (v === null ? `> ${(options.recoverTimeoutMs / 1000).toFixed(0)}` : v.toFixed(3));
    log(`${loadLabel(load)}: failed calls summed over ${options.rounds} round(s), other figures medians:`);
    log(
      renderTable(
        ['POLICY', 'CALLS', 'FAILED (SUM)', 'WORST ROUND', 'FAILED PER ROUND', 'SKIPPED', 'FAILOVER S', 'FAILBACK S', 'ZONE-A SHARE BEFORE', 'ATTEMPTS TO DEAD ZONE', 'MAX MS AFTER KILL', 'RECONNECT S'],
        summaries.map((r) => [
          POLICY_LABELS[r.policy],
          String(r.calls),
          String(r.errorsTotal),
          String(r.errorsWorstRound),
          r.rounds.map((x) => String(x.errors)).join(' / '),
          String(r.skipped),
          r.failoverS.toFixed(3),
          fmt(r.failbackS),
          `${(r.zoneAShareBefore * 100).toFixed(0)}%`,
          String(r.attemptsToDeadZone),
          r.maxLatencyAfterKillMs.toFixed(1),
          r.policy === 'zonemesh' ? fmt(r.reconnectS) : '-',
        ]),
      ),
    );
    for (const r of summaries) if (r.sampleErrors.length > 0) log(`  ${POLICY_LABELS[r.policy]} errors: ${r.sampleErrors.map((e) => e.slice(0, 120)).join(' | ')}`);
  }
  return results;
}
