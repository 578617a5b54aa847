import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessSpec } from './mesh-plan.js';
import { WORKSPACE_ROOT } from '../workspace.js';

/** What a process without its own `stopGraceMs` gets between SIGTERM and SIGKILL. */
export const DEFAULT_STOP_GRACE_MS = 8_000;

export type ProcessState = 'starting' | 'ready' | 'stopping' | 'stopped' | 'failed';

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * One child process of the mesh. Children run in their own process group so
 * that Ctrl-C reaches only the supervisor, which then stops them in order
 * (gateway, services, registries: instances must deregister while their
 * registry still answers). An IPC channel ties each child to the supervisor:
 * if the supervisor dies without stopping them, the channel closes and the
 * children shut themselves down instead of lingering.
 */
/*
 * 25 processes compile the same modules (NestJS, grpc-js, our libs) at every
 * start. Node 22.1+ keeps V8's compiled code in NODE_COMPILE_CACHE and reuses
 * it on the next start; Node 20 ignores the variable. An explicit
 * NODE_COMPILE_CACHE in the environment wins.
 */
const COMPILE_CACHE_DIR = process.env.NODE_COMPILE_CACHE ?? join(WORKSPACE_ROOT, '.cache', 'node-compile');

export class ManagedProcess {
  state: ProcessState = 'starting';
  /** Milliseconds from spawn to the first passing readiness probe (start-up time as `zonemesh up` prints it). */
  readyAfterMs: number | undefined;
  private startedAt = 0;
  readonly logPath: string;
  /** Where the process runs and finds its `files` (`<logDir>/<name>/`); undefined = the supervisor's cwd. */
  readonly workDir: string | undefined;
  private child: ChildProcess | undefined;
  private exitPromise: Promise<ProcessExit> | undefined;

  constructor(
    readonly spec: ProcessSpec,
    private readonly entryPoint: string,
    logDir: string,
  ) {
    this.logPath = join(logDir, `${spec.name}.log`);
    this.workDir = spec.files ? join(logDir, spec.name) : undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get exited(): Promise<ProcessExit> {
    if (!this.exitPromise) throw new Error(`${this.spec.name} was never started`);
    return this.exitPromise;
  }

  /** Marks the process ready now and records how long it took. */
  markReady(): void {
    this.state = 'ready';
    this.readyAfterMs = Date.now() - this.startedAt;
  }

  get hasExited(): boolean {
    return this.child !== undefined && (this.child.exitCode !== null || this.child.signalCode !== null);
  }

  start(): void {
    this.startedAt = Date.now();
    if (this.workDir) {
      mkdirSync(this.workDir, { recursive: true });
      for (const [name, content] of Object.entries(this.spec.files ?? {})) writeFileSync(join(this.workDir, name), content);
    }
    const log = openSync(this.logPath, 'a');
    try {
      this.child = spawn(process.execPath, [this.entryPoint, ...this.spec.args], {
        ...(this.workDir ? { cwd: this.workDir } : {}),
        env: { ...process.env, NODE_COMPILE_CACHE: COMPILE_CACHE_DIR, ...this.spec.env, ZONEMESH_SUPERVISED: '1' },
        stdio: ['ignore', log, log, 'ipc'],
        detached: true,
      });
    } finally {
      closeSync(log);
    }
    this.exitPromise = new Promise((resolve) => {
      this.child!.once('exit', (code, signal) => {
        if (this.state !== 'stopping' && this.state !== 'stopped') this.state = 'failed';
        else this.state = 'stopped';
        resolve({ code, signal });
      });
    });
    // A spawn error (e.g. ENOMEM) must not crash the supervisor; it shows as an exit.
    this.child.once('error', () => undefined);
  }

  /** SIGTERM, then SIGKILL for the whole process group after `graceMs`. */
  async stop(graceMs = DEFAULT_STOP_GRACE_MS): Promise<ProcessExit | undefined> {
    if (!this.child || this.hasExited) return this.exitPromise;
    this.state = 'stopping';
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
      // Anything the child left in its group goes too.
      this.signal('SIGKILL');
      this.state = 'stopped';
    }
  }

  /** The last lines the process wrote, to explain a failure in one place. */
  tail(lines = 5): string[] {
    try {
      return readFileSync(this.logPath, 'utf8').trimEnd().split('\n').slice(-lines);
    } catch {
      return [];
    }
  }

  private signal(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  }
}
