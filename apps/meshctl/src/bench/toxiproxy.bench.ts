import { fileURLToPath } from 'node:url';
import { freePort, spawnService, type ServiceProcess } from '@zonemesh/testing';
import { renderTable } from '../cli/table.js';
import { WORKSPACE_ROOT } from '../workspace.js';
import { median } from './closed-loop.load.js';
import { pingPongMedianUs, pushThroughput } from './tcp-probes.js';

export interface ToxiproxyBenchOptions {
  readonly rounds: number;
  /** Bytes per throughput push. */
  readonly bytes: number;
  /** Ping-pongs per round-trip measurement, of `pingBytes` each. */
  readonly pings: number;
  readonly pingBytes: number;
}

export const TOXIPROXY_BENCH_DEFAULTS: ToxiproxyBenchOptions = { rounds: 3, bytes: 512 * 1024 * 1024, pings: 2_000, pingBytes: 200 };

interface Route {
  readonly name: string;
  readonly push: string;
  readonly echo: string;
}

interface Sample {
  mbPerSecond: number[];
  rttUs: number[];
}

/**
 * Throughput and added round trip of the embedded fault proxy against a
 * direct connection, in one run and over the same upstream process:
 * - `direct`: the client talks to the upstream itself (the baseline);
 * - `embedded`: through a proxy of `zonemesh toxiproxy` with no toxic (what
 *   every call of the mesh pays);
 * - `embedded + noop`: the same with a noop toxic (the toxic chain's cost);
 * - `node pipe()`: a bare Node proxy, the ceiling for a proxy in Node.
 * Upstream, proxies and client are separate processes. Rounds alternate the
 * routes so machine noise hits all of them; figures are medians, and the
 * ratio is the median of each round's embedded/direct ratio (a noisy
 * neighbour slows a whole round, not one route).
 */
export async function runToxiproxyBench(options: ToxiproxyBenchOptions = TOXIPROXY_BENCH_DEFAULTS): Promise<Record<string, number | string>> {
  const processes: ServiceProcess[] = [];
  try {
    const sink = await spawnService({ entry: fileURLToPath(new URL('./tcp-sink.process.js', import.meta.url)), cwd: WORKSPACE_ROOT, env: {} });
    processes.push(sink);
    const upstream = { push: sink.ready.address, echo: String(sink.ready.echo) };
    const pipe = await spawnService({
      entry: fileURLToPath(new URL('./pipe-proxy.process.js', import.meta.url)),
      cwd: WORKSPACE_ROOT,
      env: { BENCH_UPSTREAMS: `${upstream.push},${upstream.echo}` },
    });
    processes.push(pipe);
    const adminPort = await freePort();
    const toxiproxy = await spawnService({
      entry: fileURLToPath(new URL('../main.js', import.meta.url)),
      args: ['toxiproxy', '--port', String(adminPort)],
      cwd: WORKSPACE_ROOT,
      env: {},
      readyEvent: 'listening',
    });
    processes.push(toxiproxy);
    const api = `http://127.0.0.1:${adminPort}`;
    const createProxy = async (name: string, target: string): Promise<string> => {
      const response = await fetch(`${api}/proxies`, { method: 'POST', body: JSON.stringify({ name, listen: '127.0.0.1:0', upstream: target }) });
      if (response.status !== 201) throw new Error(`creating proxy ${name}: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { listen: string }).listen;
    };
    const embedded: Route = { name: 'embedded, no toxic', push: await createProxy('push', upstream.push), echo: await createProxy('echo', upstream.echo) };
    const noop: Route = { name: 'embedded + noop toxic', push: await createProxy('push-noop', upstream.push), echo: await createProxy('echo-noop', upstream.echo) };
    for (const name of ['push-noop', 'echo-noop']) {
      const response = await fetch(`${api}/proxies/${name}/toxics`, { method: 'POST', body: JSON.stringify({ type: 'noop', attributes: {} }) });
      if (response.status !== 200) throw new Error(`adding a noop toxic to ${name}: ${response.status} ${await response.text()}`);
    }
    const pipeAddresses = pipe.ready.addresses as string[];
    const routes: Route[] = [
      { name: 'direct', ...upstream },
      embedded,
      noop,
      { name: 'node pipe()', push: pipeAddresses[0]!, echo: pipeAddresses[1]! },
    ];

    const timeoutMs = 120_000;
    // Warm-up: JIT and socket buffers, not counted.
    for (const route of routes) {
      await pushThroughput(route.push, Math.min(options.bytes, 32 * 1024 * 1024), timeoutMs);
      await pingPongMedianUs(route.echo, 200, options.pingBytes, timeoutMs);
    }
    const samples = new Map<Route, Sample>(routes.map((route) => [route, { mbPerSecond: [], rttUs: [] }]));
    for (let round = 0; round < options.rounds; round++) {
      for (const route of routes) {
        const sample = samples.get(route)!;
        sample.mbPerSecond.push(await pushThroughput(route.push, options.bytes, timeoutMs));
        sample.rttUs.push(await pingPongMedianUs(route.echo, options.pings, options.pingBytes, timeoutMs));
      }
    }

    const direct = samples.get(routes[0]!)!;
    const directMb = median(direct.mbPerSecond);
    const directRtt = median(direct.rttUs);
    const rows = routes.map((route) => {
      const sample = samples.get(route)!;
      const mb = median(sample.mbPerSecond);
      const rtt = median(sample.rttUs);
      return [
        route.name,
        mb.toFixed(0),
        (mb / directMb).toFixed(2),
        rtt.toFixed(0),
        route === routes[0] ? '-' : `+${(rtt - directRtt).toFixed(0)}`,
        sample.mbPerSecond.map((v) => v.toFixed(0)).join(' / '),
      ];
    });
    const mib = (options.bytes / 1024 / 1024).toFixed(0);
    console.log(renderTable([`ROUTE (${mib} MiB pushes, ${options.pingBytes}-byte pings)`, 'MB/S (median)', 'X DIRECT', 'RTT µS', 'ADDED µS', 'MB/S PER ROUND'], rows));
    const at = (route: Route) => samples.get(route)!;
    const proxyMb = median(at(embedded).mbPerSecond);
    const roundRatios = at(embedded).mbPerSecond.map((mb, i) => mb / direct.mbPerSecond[i]!);
    const pipeRatios = at(routes[3]!).mbPerSecond.map((mb, i) => mb / direct.mbPerSecond[i]!);
    console.log(`embedded / direct per round: ${roundRatios.map((r) => r.toFixed(2)).join(' / ')}; node pipe() / direct: ${pipeRatios.map((r) => r.toFixed(2)).join(' / ')}`);
    return {
      bench: 'toxiproxy',
      proxy_mb_s: Math.round(proxyMb),
      direct_mb_s: Math.round(directMb),
      noop_toxic_mb_s: Math.round(median(at(noop).mbPerSecond)),
      node_pipe_mb_s: Math.round(median(at(routes[3]!).mbPerSecond)),
      added_rtt_us: Math.round(median(at(embedded).rttUs) - directRtt),
      noop_toxic_added_rtt_us: Math.round(median(at(noop).rttUs) - directRtt),
      node_pipe_added_rtt_us: Math.round(median(at(routes[3]!).rttUs) - directRtt),
      push_bytes: options.bytes,
      rounds: options.rounds,
      ratio_of_medians: Number((proxyMb / directMb).toFixed(3)),
      node_pipe_ratio: Number(median(pipeRatios).toFixed(3)),
      ratio: Number(median(roundRatios).toFixed(3)),
    };
  } finally {
    await Promise.all(processes.map((p) => p.stop('SIGTERM', 5000)));
  }
}
