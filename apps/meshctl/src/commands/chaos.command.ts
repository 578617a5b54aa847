import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FaultError, loadScenario, runScenario, shortenScenario, type Scenario, type ScenarioResult } from '@zonemesh/chaos';
import { composeMesh, externalMesh, findRunningMesh, startPrivateMesh, type ChaosMesh, type LbMode } from '../chaos/chaos-mesh.js';
import { resultTable, sideBySide } from '../chaos/result-table.js';
import { waitForSettledGateway } from '../chaos/settle.js';

/** How long a scenario waits for the previous one's failback on the same mesh. */
const SETTLE_TIMEOUT_MS = 30_000;
import { loadMeshConfig } from '../mesh/mesh-config.js';
import { WORKSPACE_ROOT } from '../workspace.js';
import { UsageError } from '../cli/usage-error.js';

export const CHAOS_USAGE = `zonemesh chaos run <scenario.yaml...|--all> [--short] [--reports DIR]
        [--gateway URL --toxiproxy URL [--registry zone=URL]... | --target compose [--project NAME]]
        [--baseline grpc-rr] [--config mesh.yaml]
  Runs chaos scenarios: open-loop load through the gateway, faults through the
  Toxiproxy API, assertions judged from the measurements. --target compose runs
  against the stack of \`npm run compose:up\` (its published ports; kill faults
  are docker kill / docker start). Without --gateway or --target it
  uses the mesh \`zonemesh up\` is running, or starts a private one on free ports
  (always for kill faults and --baseline). Writes reports/<scenario>-<time>.json
  and .html; exits 0 only when every assertion held.`;

interface ChaosOptions {
  files: string[];
  short: boolean;
  reportDir: string;
  configPath: string;
  gateway?: string;
  toxiproxy?: string;
  registries: Record<string, string>;
  baseline?: LbMode;
  /** Docker compose project to run against (--target compose). */
  composeProject?: string;
}

function parseChaosArgs(argv: string[]): ChaosOptions {
  const [sub, ...rest] = argv;
  if (sub !== 'run') throw new UsageError(`chaos: expected "run", got ${sub ? `"${sub}"` : 'nothing'}`);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: {
      all: { type: 'boolean', default: false },
      short: { type: 'boolean', default: false },
      reports: { type: 'string' },
      config: { type: 'string' },
      gateway: { type: 'string' },
      toxiproxy: { type: 'string' },
      registry: { type: 'string', multiple: true, default: [] },
      baseline: { type: 'string' },
      target: { type: 'string' },
      project: { type: 'string' },
    },
  });
  if (values.all && positionals.length) throw new UsageError('chaos run: give scenario files or --all, not both');
  const scenarioDir = join(WORKSPACE_ROOT, 'chaos', 'scenarios');
  const files = values.all
    ? readdirSync(scenarioDir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort().map((f) => join(scenarioDir, f))
    : positionals.map((f) => resolve(f));
  if (files.length === 0) throw new UsageError('chaos run: no scenario given (files or --all)');
  if (values.baseline !== undefined && values.baseline !== 'grpc-rr') throw new UsageError(`--baseline: expected grpc-rr, got "${values.baseline}"`);
  if ((values.gateway === undefined) !== (values.toxiproxy === undefined)) throw new UsageError('--gateway and --toxiproxy go together');
  if (values.baseline && values.gateway) throw new UsageError('--baseline starts its own meshes; it cannot run against --gateway');
  if (values.target !== undefined && values.target !== 'compose') throw new UsageError(`--target: expected compose, got "${values.target}"`);
  if (values.target && (values.gateway || values.baseline)) throw new UsageError('--target compose finds its own URLs and cannot run --baseline; drop --gateway/--toxiproxy/--baseline');
  if (values.project !== undefined && !values.target) throw new UsageError('--project goes with --target compose');
  const registries: Record<string, string> = {};
  for (const entry of values.registry!) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new UsageError(`--registry: expected zone=URL, got "${entry}"`);
    registries[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return {
    files,
    short: values.short!,
    reportDir: resolve(values.reports ?? join(WORKSPACE_ROOT, 'reports')),
    configPath: resolve(values.config ?? join(WORKSPACE_ROOT, 'mesh.yaml')),
    ...(values.gateway ? { gateway: values.gateway, toxiproxy: values.toxiproxy! } : {}),
    registries,
    ...(values.baseline ? { baseline: values.baseline as LbMode } : {}),
    ...(values.target ? { composeProject: values.project ?? process.env.COMPOSE_PROJECT_NAME ?? 'zonemesh' } : {}),
  };
}

const needsProcesses = (s: Scenario) => s.steps.some((step) => step.fault.type === 'kill');

/**
 * `zonemesh chaos run`: validates every scenario first (nothing runs if one
 * is invalid), then runs them one after another. Ctrl-C aborts the current
 * scenario; its faults are rolled back and any mesh this command started is
 * stopped before it exits.
 */
export async function chaosCommand(argv: string[]): Promise<number> {
  const options = parseChaosArgs(argv);
  const scenarios: { file: string; scenario: Scenario }[] = [];
  for (const file of options.files) {
    const scenario = await loadScenario(file);
    scenarios.push({ file, scenario: options.short ? shortenScenario(scenario) : scenario });
  }
  const log = (line: string) => console.log(`chaos: ${line}`);

  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts === 1) {
      console.error('\nchaos: interrupted — rolling back faults and stopping (Ctrl-C again to force)');
      abort.abort();
    } else process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const meshes = new Map<string, ChaosMesh>();
  const release = async () => {
    for (const mesh of meshes.values()) await mesh.release();
    meshes.clear();
  };
  /** One mesh per kind, started on first use and kept for the next scenarios. */
  const meshFor = async (scenario: Scenario, mode: LbMode): Promise<ChaosMesh> => {
    if (options.gateway) return externalMesh(options.gateway, options.toxiproxy!, options.registries);
    if (options.composeProject) {
      const compose = meshes.get('compose') ?? (await composeMesh(options.composeProject));
      if (!meshes.has('compose')) log(`using the ${compose.description}`);
      meshes.set('compose', compose);
      return compose;
    }
    if (mode === 'zonemesh' && !needsProcesses(scenario)) {
      const running = meshes.get('running') ?? (await findRunningMesh(await loadMeshConfig(options.configPath)));
      if (running) {
        if (!meshes.has('running')) log(`using the ${running.description}`);
        meshes.set('running', running);
        return running;
      }
    }
    const key = `private-${mode}`;
    let mesh = meshes.get(key);
    if (!mesh) {
      mesh = await startPrivateMesh(options.configPath, mode, log, join(WORKSPACE_ROOT, '.zonemesh', 'chaos-logs'));
      meshes.set(key, mesh);
      log(`using the ${mesh.description}`);
    }
    return mesh;
  };

  const ran = new Set<ChaosMesh>();
  /** Undefined when the scenario could not start (a selector matching nothing, a kill without process control). */
  const run = async (file: string, scenario: Scenario, mode: LbMode): Promise<ScenarioResult | undefined> => {
    const mesh = await meshFor(scenario, mode);
    if (ran.has(mesh)) {
      // Back to back on one mesh: let the previous scenario's failback finish first.
      const waited = await waitForSettledGateway(mesh.target.gatewayUrl, SETTLE_TIMEOUT_MS, abort.signal);
      log(waited === undefined ? `mesh not settled after ${SETTLE_TIMEOUT_MS / 1000} s; running ${scenario.name} anyway` : waited > 1_000 ? `waited ${(waited / 1000).toFixed(1)} s for the mesh to settle` : 'mesh settled');
    }
    ran.add(mesh);
    log(`${scenario.name} (${mode}${options.short ? ', short' : ''}): ${scenario.description || file}`);
    let result: ScenarioResult;
    try {
      // A baseline is measured even when it misses the steady state (zone share, by construction): the comparison is the point.
      result = await runScenario(scenario, mesh.target, {
        mode,
        signal: abort.signal,
        reportDir: options.reportDir,
        onProgress: (l) => log(l),
        abortWhenUnsteady: mode === 'zonemesh',
      });
    } catch (error) {
      if (!(error instanceof FaultError)) throw error;
      log(`${scenario.name} (${mode}): FAILED before it started: ${error.message}`);
      return undefined;
    }
    console.log(`\n${resultTable(result)}\n`);
    log(`${scenario.name} (${mode}): ${result.passed ? 'PASSED' : `FAILED${result.journal.aborted ? ` (${result.journal.aborted})` : ''}`}; reports: ${result.reports?.html} ${result.reports?.json}`);
    return result;
  };

  const verdicts: [string, boolean][] = [];
  try {
    const primaries: { file: string; scenario: Scenario; result: ScenarioResult }[] = [];
    for (const { file, scenario } of scenarios) {
      if (abort.signal.aborted) break;
      const primary = await run(file, scenario, 'zonemesh');
      verdicts.push([scenario.name, primary?.passed ?? false]);
      if (primary) primaries.push({ file, scenario, result: primary });
    }
    if (options.baseline && primaries.length > 0 && !abort.signal.aborted) {
      // One mesh at a time: on a small machine an idle mesh beside the one
      // under test (health checks, registry traffic) would slow it and blur
      // the comparison. So every zonemesh run first, then every baseline run.
      await release();
      log(`baseline: the same ${primaries.length} scenario(s) with ${options.baseline}`);
      for (const { file, scenario, result } of primaries) {
        if (abort.signal.aborted) break;
        const baseline = await run(file, scenario, options.baseline);
        if (baseline) console.log(`\n${scenario.name}: zonemesh vs ${options.baseline}\n${sideBySide(result, baseline)}\n`);
      }
    }
  } finally {
    await release();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (abort.signal.aborted) return 130;
  const failed = verdicts.filter(([, ok]) => !ok).map(([name]) => name);
  log(failed.length ? `${failed.length} of ${verdicts.length} scenario(s) failed: ${failed.join(', ')}` : `all ${verdicts.length} scenario(s) passed`);
  return failed.length ? 1 : 0;
}
