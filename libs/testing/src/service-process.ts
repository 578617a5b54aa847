import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port.js';
import { waitFor } from './wait-for.js';

/** The JSON line a service prints on stdout once it serves. */
export interface ReadyEvent {
  readonly event: string;
  readonly instanceId: string;
  readonly address: string;
  readonly [key: string]: unknown;
}

/** A mesh service running as a real child process. */
export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly ready: ReadyEvent;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** Sends `signal` (default SIGTERM) and waits for the exit; SIGKILL after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | string>;
}

export interface SpawnServiceOptions {
  /** Script to run with node, e.g. apps/pricing/dist/main.js. */
  readonly entry: string;
  /**
   * Variables added to a copy of process.env. OTEL_TRACES_EXPORTER defaults
   * to `none` (unless set here or in process.env): specs and benchmarks
   * opt in to tracing, so others neither pay for spans nor buffer them.
   */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** How long to wait for the ready line, default 20 s. */
  readonly readyTimeoutMs?: number;
  /** The `event` of the JSON line that means ready, default 'ready' (the registry prints 'listening'). */
  readonly readyEvent?: string;
  /** Extra command-line arguments. */
  readonly args?: readonly string[];
}

function track(child: ChildProcess) {
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { stdout: () => out, stderr: () => err, exited };
}

/** Starts a process without waiting for readiness (for start-up failure tests). */
export function spawnRaw(options: Omit<SpawnServiceOptions, 'readyTimeoutMs' | 'readyEvent'>) {
  const child = spawn(process.execPath, [options.entry, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { OTEL_TRACES_EXPORTER: 'none', ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { child, ...track(child) };
}

/** Starts a service and resolves once it printed its ready line; kills it on failure. */
export async function spawnService(options: SpawnServiceOptions): Promise<ServiceProcess> {
  const { child, stdout, stderr, exited } = spawnRaw(options);
  let exitCode: number | string | undefined;
  void exited.then((code) => (exitCode = code));

  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000) => {
    if (exitCode === undefined) child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };

  try {
    const readyLine = waitFor(
      () => {
        const readyEvent = options.readyEvent ?? 'ready';
        for (const line of stdout().split('\n')) {
          if (!line.startsWith('{') || !line.endsWith('}')) continue;
          const event = JSON.parse(line) as ReadyEvent;
          if (event.event === readyEvent) return event;
        }
        return undefined;
      },
      { timeoutMs: options.readyTimeoutMs ?? 20_000, what: `${options.entry} to be ready` },
    );
    const died = exited.then((code) => {
      throw new Error(`${options.entry} exited with ${code} before ready: ${stderr().trim()}`);
    });
    const ready = await Promise.race([readyLine, died]);
    died.catch(() => undefined);
    return { child, ready, stdout, stderr, exited, stop };
  } catch (error) {
    await stop('SIGKILL');
    throw error;
  }
}

/**
 * One mesh gRPC service (`apps/<service>/dist/main.js`) on a free port in
 * zone-a, configured by the same ZONEMESH_* variables `zonemesh up` sets.
 */
export async function spawnMeshService(
  root: string,
  service: string,
  instanceId: string,
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<ServiceProcess> {
  return spawnService({
    entry: `apps/${service}/dist/main.js`,
    cwd: root,
    env: { ZONEMESH_SERVICE: service, ZONEMESH_ZONE: 'zone-a', ZONEMESH_PORT: String(await freePort()), ZONEMESH_INSTANCE_ID: instanceId, ...extraEnv },
  });
}
