import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { MeshError } from '../mesh/mesh-error.js';

/** Where the Debian package `prometheus` installs the server. */
export const PROMETHEUS_BINARY = '/usr/bin/prometheus';

export interface PrometheusOptions {
  readonly binary?: string;
  readonly configPath: string;
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  readonly logPath: string;
  readonly readyTimeoutMs?: number;
}

export interface RunningPrometheus {
  /** e.g. `http://127.0.0.1:9090`. */
  readonly url: string;
  stop(): Promise<void>;
}

/** The Prometheus binary to use, or a one-line MeshError telling how to install it. */
export function findPrometheus(binary = process.env.ZONEMESH_PROMETHEUS_BINARY || PROMETHEUS_BINARY): string {
  if (!existsSync(binary)) throw new MeshError(`prometheus not found at ${binary}; install it with \`apt-get install prometheus\``);
  return binary;
}

function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  killer.unref();
  return exited.then(() => clearTimeout(killer));
}

/** Starts a real Prometheus on `host:port` and resolves once /-/ready answers 200. */
export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  const binary = findPrometheus(options.binary);
  const url = `http://${options.host}:${options.port}`;
  const log = createWriteStream(options.logPath);
  const child = spawn(
    binary,
    [
      `--config.file=${options.configPath}`,
      `--storage.tsdb.path=${options.dataDir}`,
      `--web.listen-address=${options.host}:${options.port}`,
      '--storage.tsdb.retention.time=1h',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = () => stopChild(child, exited).then(() => new Promise<void>((done) => log.end(() => done())));

  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new MeshError(`prometheus exited with ${child.exitCode} during start-up (log: ${options.logPath})`);
    }
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) return { url, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new MeshError(`prometheus not ready at ${url} (log: ${options.logPath})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
