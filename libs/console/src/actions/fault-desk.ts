import { FaultError, FaultInjector, selectTargets, type ProcessControl, type Step } from '@zonemesh/chaos';
import type { ConsoleFault } from '../wire.js';
import { ActionError, faultFor, selectorFor, type FaultAction, type FaultScope } from './fault-request.js';

/**
 * The fault buttons. Each press becomes a scenario step (same schema, same
 * FaultInjector, same Toxiproxy calls as `zonemesh chaos run`), applied at
 * once and held until healed; a crash restarts its processes after
 * `crashRestartMs`, as instance-crash's `restart: true` does.
 */
export class FaultDesk {
  private readonly injector: FaultInjector;
  private readonly applied = new Map<string, { fault: ConsoleFault; step: Step }>();
  private readonly restarts = new Set<NodeJS.Timeout>();
  private seq = 0;

  constructor(
    toxiproxyUrl: string,
    private readonly meshServices: readonly string[],
    private readonly processes: ProcessControl | undefined,
    private readonly crashRestartMs = 5_000,
  ) {
    this.injector = new FaultInjector(toxiproxyUrl, processes);
  }

  get canCrash(): boolean {
    return this.processes !== undefined;
  }

  active(): ConsoleFault[] {
    return [...this.applied.values()].map((a) => a.fault);
  }

  async apply(action: FaultAction, scope: FaultScope): Promise<ConsoleFault> {
    if (action === 'crash' && !this.processes) throw new ActionError('crash: this console does not run the mesh processes (start it with `zonemesh up`)');
    const id = `console-${action}-${++this.seq}`;
    const step: Step = { name: id, atMs: 0, durationMs: 0, fault: faultFor(action, selectorFor(scope, this.meshServices)) };
    let targets: string[];
    try {
      targets = (await this.injector.resolveTargets([step])).get(id)!;
    } catch (error) {
      if (error instanceof FaultError) throw new ActionError(error.message.replace(/^step "[^"]+": /, ''));
      throw error;
    }
    const fault: ConsoleFault = { id, action, targets, since: Date.now() };
    this.applied.set(id, { fault, step });
    await this.injector.apply(step, targets);
    if (action === 'crash') {
      const timer = setTimeout(() => {
        this.restarts.delete(timer);
        void this.heal({ id });
      }, this.crashRestartMs);
      this.restarts.add(timer);
    }
    return fault;
  }

  /**
   * Heals the console's faults touching the scope (every one without a
   * scope, or one by id). Faults applied by a scenario are the scenario's
   * to heal; they are not touched.
   */
  async heal(scope: FaultScope & { id?: string }): Promise<{ healed: string[]; failed: string[] }> {
    const all = scope.instance || scope.zone || scope.service;
    const names = all ? new Set(selectTargets(selectorFor(scope, this.meshServices), this.knownNames())) : undefined;
    const healed: string[] = [];
    const failed: string[] = [];
    for (const [id, { fault, step }] of [...this.applied]) {
      if (scope.id && scope.id !== id) continue;
      if (names && !fault.targets.some((t) => names.has(t))) continue;
      this.applied.delete(id);
      failed.push(...(await this.injector.heal(step)));
      healed.push(id);
    }
    return { healed, failed };
  }

  /** Heals everything the console applied and cancels pending restarts (they run now); for shutdown. */
  async close(): Promise<void> {
    for (const timer of this.restarts) clearTimeout(timer);
    this.restarts.clear();
    await this.injector.rollbackAll();
    this.applied.clear();
  }

  private knownNames(): string[] {
    return [...new Set([...this.active().flatMap((f) => f.targets), ...(this.processes?.list() ?? [])])];
  }
}
