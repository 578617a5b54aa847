import type { ProcessControl } from '../faults/chaos-target.js';
import { docker, DockerError, projectContainers, serviceOf, type ContainerInfo } from './docker-cli.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `kill` faults against a compose stack: the step's start is `docker kill`
 * (the engine marks the container stopped, so `restart: unless-stopped` does
 * not bring it back behind the scenario's back) and its end is `docker start`,
 * resolved once the container's healthcheck says healthy — the compose
 * counterpart of the local mesh's "ready" probe. The fault proxy is not
 * offered: killing it would take every proxy down and end any healing.
 */
export class ComposeProcessControl implements ProcessControl {
  constructor(
    private readonly project: string,
    private readonly containers: ReadonlyMap<string, string>,
    private readonly readyTimeoutMs = 60_000,
  ) {}

  /** Reads the project's containers once: service name -> container id. */
  static async of(project: string, readyTimeoutMs?: number): Promise<ComposeProcessControl> {
    const byService = new Map((await projectContainers(project)).map((c) => [serviceOf(c), c.Id] as const));
    return new ComposeProcessControl(project, byService, readyTimeoutMs);
  }

  list(): string[] {
    return [...this.containers.keys()].filter((name) => name !== 'toxiproxy').sort();
  }

  async kill(instance: string, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    const id = this.idOf(instance);
    try {
      await docker(['kill', '--signal', signal, id]);
    } catch (error) {
      // Already stopped is what a kill wants.
      if (!(error instanceof DockerError) || !/is not running/.test(error.message)) throw error;
    }
    const deadline = Date.now() + 10_000;
    while ((await this.inspect(id)).State.Running) {
      if (Date.now() > deadline) throw new DockerError(`${instance} still running 10s after docker kill --signal ${signal}`);
      await sleep(100);
    }
  }

  async restart(instance: string): Promise<void> {
    const id = this.idOf(instance);
    await docker(['start', id]);
    const deadline = Date.now() + this.readyTimeoutMs;
    for (;;) {
      const { State } = await this.inspect(id);
      if (!State.Running) throw new DockerError(`${instance} exited while restarting: ${(await docker(['logs', '--tail', '2', id]).catch(() => '')).trim().replace(/\n/g, ' | ')}`);
      if (!State.Health || State.Health.Status === 'healthy') return;
      if (Date.now() > deadline) throw new DockerError(`${instance} not healthy ${this.readyTimeoutMs / 1000}s after docker start (docker logs ${id.slice(0, 12)})`);
      await sleep(250);
    }
  }

  private idOf(instance: string): string {
    const id = this.containers.get(instance);
    if (!id) throw new DockerError(`compose project ${this.project} has no service named ${instance}`);
    return id;
  }

  private async inspect(id: string): Promise<ContainerInfo> {
    const [info] = JSON.parse(await docker(['inspect', id])) as ContainerInfo[];
    return info!;
  }
}
