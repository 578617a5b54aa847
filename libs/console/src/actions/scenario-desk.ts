import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { loadScenario, runScenario, shortenScenario, type ChaosTarget } from '@zonemesh/chaos';
import type { ScenarioRun } from '../wire.js';
import { ActionError } from './fault-request.js';

/**
 * The "run scenario" menu: the shipped scenarios, one run at a time (two runs
 * would fault the same mesh at once and judge each other's faults), run by the
 * same runner as `zonemesh chaos run` against the mesh the console watches.
 */
export class ScenarioDesk {
  private current: ScenarioRun | undefined;
  private abort: AbortController | undefined;

  constructor(
    private readonly scenarioDir: string | undefined,
    private readonly reportDir: string,
    private readonly target: ChaosTarget,
    private readonly onChange: (run: ScenarioRun) => void,
  ) {}

  async list(): Promise<string[]> {
    if (!this.scenarioDir) return [];
    const files = await readdir(this.scenarioDir).catch(() => [] as string[]);
    return files.filter((f) => /\.ya?ml$/.test(f)).map((f) => f.replace(/\.ya?ml$/, '')).sort();
  }

  get run(): ScenarioRun | undefined {
    return this.current;
  }

  async start(name: unknown, short: unknown): Promise<ScenarioRun> {
    if (typeof name !== 'string' || !(await this.list()).includes(name)) {
      throw new ActionError(`scenario: expected one of ${(await this.list()).join(', ') || '(none shipped)'}, got ${JSON.stringify(name)}`);
    }
    if (this.current?.state === 'running') throw new ActionError(`scenario ${this.current.scenario} is still running; one at a time`);
    const file = (await readdir(this.scenarioDir!)).find((f) => f.replace(/\.ya?ml$/, '') === name)!;
    const loaded = await loadScenario(join(this.scenarioDir!, file));
    const scenario = short === true ? shortenScenario(loaded) : loaded;
    const run: ScenarioRun = { scenario: name, short: short === true, startedAt: Date.now(), state: 'running', progress: 'starting' };
    this.current = run;
    this.abort = new AbortController();
    this.onChange(run);
    void runScenario(scenario, this.target, {
      signal: this.abort.signal,
      reportDir: this.reportDir,
      onProgress: (line) => {
        run.progress = line.trim();
        this.onChange(run);
      },
    }).then(
      (result) => {
        run.state = result.passed ? 'passed' : 'failed';
        if (result.reports) run.report = `/console/reports/${basename(result.reports.html)}`;
        this.onChange(run);
      },
      (error: unknown) => {
        run.state = 'error';
        run.error = (error as Error).message;
        this.onChange(run);
      },
    );
    return run;
  }

  /** Aborts a running scenario; the runner rolls its faults back. */
  stop(): void {
    this.abort?.abort();
  }
}
