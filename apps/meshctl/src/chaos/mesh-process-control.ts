import type { ProcessControl } from '@zonemesh/chaos';
import { DEFAULT_STOP_GRACE_MS, type ManagedProcess } from '../mesh/managed-process.js';
import { MeshError } from '../mesh/mesh-error.js';
import type { RunningMesh } from '../mesh/mesh-launcher.js';
import { probeOnce } from '../mesh/readiness.js';

/**
 * Lets `kill` faults act on the processes of a mesh this CLI started. The
 * fault proxy itself is not offered: killing it would take every proxy down
 * at once and end the run's ability to heal anything.
 */
export class MeshProcessControl implements ProcessControl {
  constructor(
    private readonly mesh: RunningMesh,
    private readonly readyTimeoutMs = 30_000,
  ) {}

  list(): string[] {
    return this.mesh.processes.filter((p) => p.spec.app !== 'toxiproxy').map((p) => p.spec.name);
  }

  async kill(instance: string, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    const proc = this.find(instance);
    if (proc.pid === undefined || proc.hasExited) return;
    const exited = proc.exited;
    try {
      // Children lead their own process group (detached): the whole group goes, as a crash would take it.
      process.kill(-proc.pid, signal);
    } catch {
      return;
    }
    // SIGTERM drains first (a service keeps serving while its callers notice): wait out its own bound.
    const waitMs = signal === 'SIGKILL' ? 5_000 : (proc.spec.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);
  }

  async restart(instance: string): Promise<void> {
    const proc = this.find(instance);
    if (proc.pid !== undefined && !proc.hasExited) return;
    proc.state = 'starting';
    proc.start();
    const deadline = Date.now() + this.readyTimeoutMs;
    while (!(await probeOnce(proc.spec.probe))) {
      if (proc.hasExited) throw new MeshError(`${instance} exited while restarting: ${proc.tail(2).join(' | ')}`);
      if (Date.now() > deadline) throw new MeshError(`${instance} not ready ${this.readyTimeoutMs / 1000}s after restart (log: ${proc.logPath})`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    proc.state = 'ready';
  }

  private find(instance: string): ManagedProcess {
    const proc = this.mesh.processes.find((p) => p.spec.name === instance);
    if (!proc) throw new MeshError(`no process named ${instance}`);
    return proc;
  }
}
