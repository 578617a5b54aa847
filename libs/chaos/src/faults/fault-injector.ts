import { Toxiproxy, type Proxy } from 'toxiproxy-node-client';
import type { Step } from '../scenario/scenario.js';
import { describeSelector, selectTargets } from '../targets/target-selector.js';
import type { ProcessControl } from './chaos-target.js';

type Undo = { readonly what: string; run(): Promise<void> };

/** A fault that cannot be applied as written: names the step and what is missing. */
export class FaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultError';
  }
}

/**
 * Applies and heals the faults of steps through the Toxiproxy HTTP API
 * (toxiproxy-node-client) and a ProcessControl. It remembers every change it
 * made, so `rollbackAll()` can put back exactly what it touched — and nothing
 * else — whatever happened in between.
 */
export class FaultInjector {
  private readonly client: Toxiproxy;
  private readonly active = new Map<string, Undo[]>();

  constructor(
    toxiproxyUrl: string,
    private readonly processes?: ProcessControl,
  ) {
    this.client = new Toxiproxy(toxiproxyUrl.replace(/\/+$/, ''));
  }

  async proxyNames(): Promise<string[]> {
    return Object.keys(await this.client.getAll());
  }

  /**
   * The names every step acts on, resolved before anything runs so that a
   * selector that matches nothing fails the scenario up front.
   */
  async resolveTargets(steps: readonly Step[]): Promise<Map<string, string[]>> {
    const needsProxies = steps.some((s) => s.fault.type !== 'kill');
    const proxies = needsProxies ? await this.proxyNames() : [];
    const resolved = new Map<string, string[]>();
    for (const step of steps) {
      const kill = step.fault.type === 'kill';
      if (kill && !this.processes) {
        throw new FaultError(`step "${step.name}": kill needs control of the mesh processes (run without --gateway so the runner starts the mesh)`);
      }
      const names = kill ? this.processes!.list() : proxies;
      const targets = selectTargets(step.fault.targets, names);
      if (targets.length === 0) {
        throw new FaultError(
          `step "${step.name}": ${describeSelector(step.fault.targets)} matches no ${kill ? 'process' : 'proxy'} (have: ${names.join(', ') || 'none'})`,
        );
      }
      resolved.set(step.name, targets);
    }
    return resolved;
  }

  /** Applies a step's fault to every target at once (a zone goes down in one moment, not one proxy at a time). */
  async apply(step: Step, targets: readonly string[]): Promise<void> {
    const undos: Undo[] = [];
    this.active.set(step.name, undos);
    const fault = step.fault;
    await Promise.all(
      targets.map(async (name) => {
        if (fault.type === 'kill') {
          await this.processes!.kill(name, fault.signal);
          // Healing restarts when asked; the final rollback restarts regardless so the mesh is left whole.
          undos.push({ what: `restart ${name}`, run: () => this.processes!.restart(name) });
          return;
        }
        const proxy = await this.client.get(name);
        if (fault.type === 'down') {
          if (!proxy.enabled) return;
          await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
          undos.push({ what: `enable ${name}`, run: () => this.enable(name) });
          return;
        }
        const toxicName = `chaos-${step.name}`;
        await proxy.addToxic({ name: toxicName, type: fault.type, stream: fault.stream, toxicity: fault.toxicity, attributes: fault.attributes });
        undos.push({ what: `remove toxic ${toxicName} from ${name}`, run: () => this.removeToxic(proxy, toxicName) });
      }),
    );
  }

  /** Ends a step's fault. A kill without restart stays killed until rollbackAll. */
  async heal(step: Step): Promise<string[]> {
    const undos = this.active.get(step.name);
    if (!undos) return [];
    if (step.fault.type === 'kill' && !step.fault.restart) return [];
    this.active.delete(step.name);
    return runAll(undos);
  }

  /** Undoes everything still applied; returns what failed (never throws: it runs from finally blocks and signal handlers). */
  async rollbackAll(): Promise<{ undone: string[]; failed: string[] }> {
    const undone: string[] = [];
    const failed: string[] = [];
    for (const [name, undos] of [...this.active]) {
      this.active.delete(name);
      undone.push(...undos.map((u) => u.what));
      failed.push(...(await runAll(undos)));
    }
    return { undone, failed };
  }

  get activeSteps(): string[] {
    return [...this.active.keys()];
  }

  private async enable(name: string): Promise<void> {
    const proxy = await this.client.get(name);
    if (!proxy.enabled) await proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
  }

  private async removeToxic(proxy: Proxy, toxicName: string): Promise<void> {
    try {
      await (await proxy.getToxic(toxicName)).remove();
    } catch (error) {
      // Already gone (someone reset Toxiproxy): the goal of the undo holds.
      if (!/status code 404/.test((error as Error).message)) throw error;
    }
  }
}

async function runAll(undos: readonly Undo[]): Promise<string[]> {
  const results = await Promise.allSettled(undos.map((u) => u.run()));
  return results.flatMap((r, i) => (r.status === 'rejected' ? [`${undos[i]!.what}: ${(r.reason as Error).message}`] : []));
}
