import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** One echo server of the bench: answers `Who` with its id and serves grpc.health.v1. */
export interface BenchServer {
  readonly id: string;
  readonly zone: string;
  readonly address: string;
}

/*
 * The servers run in a child process of their own (bench-server.main.ts), so
 * the client under bench has the parent's core to itself. The child is always
 * the compiled program: from dist/ it sits beside this file; from the
 * TypeScript sources (vitest) it is the build output in dist/bench/, because
 * Node 20 cannot run a .ts file.
 */
const SERVER_PROGRAM = fileURLToPath(
  import.meta.url.endsWith('.ts') ? new URL('../dist/bench/bench-server.main.js', import.meta.url) : new URL('./bench-server.main.js', import.meta.url),
);

/** The bench's servers in their child process: stop (refuse connections) and restart (same ports) by id. */
export class BenchServers {
  private seq = 0;
  private readonly pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

  private constructor(
    private readonly child: ChildProcess,
    readonly servers: readonly BenchServer[],
  ) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const message = JSON.parse(line) as { seq: number; ok: boolean; error?: string };
      const waiter = this.pending.get(message.seq);
      this.pending.delete(message.seq);
      if (message.ok) waiter?.resolve();
      else waiter?.reject(new Error(`bench servers: ${message.error}`));
    });
  }

  /** Starts one server per `{id, zone}` on free loopback ports. */
  static async start(specs: ReadonlyArray<{ id: string; zone: string }>, timeoutMs = 15_000): Promise<BenchServers> {
    if (!existsSync(SERVER_PROGRAM)) throw new Error(`${SERVER_PROGRAM} is missing; run \`npm run build\``);
    const child = spawn(process.execPath, [SERVER_PROGRAM], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, BENCH_IDS: JSON.stringify(specs.map((s) => s.id)) },
    });
    const ports = await new Promise<Record<string, number>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bench servers not ready within ${timeoutMs} ms`)), timeoutMs);
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', (line) => {
        clearTimeout(timer);
        lines.close();
        const message = JSON.parse(line) as { ready?: Record<string, number>; failed?: string };
        if (message.ready) resolve(message.ready);
        else reject(new Error(`bench servers failed: ${message.failed}`));
      });
      child.once('exit', (code) => reject(new Error(`bench servers exited with ${code}`)));
    }).catch((error: unknown) => {
      child.kill();
      throw error;
    });
    return new BenchServers(
      child,
      specs.map((s) => ({ ...s, address: `127.0.0.1:${ports[s.id]}` })),
    );
  }

  /** Hard stop: connections drop and new ones are refused until `restart`. */
  stop(ids: readonly string[]): Promise<void> {
    return this.command('stop', ids);
  }

  /** Rebinds the stopped servers on their ports; resolves once they accept connections. */
  restart(ids: readonly string[]): Promise<void> {
    return this.command('start', ids);
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private command(cmd: 'stop' | 'start', ids: readonly string[]): Promise<void> {
    const seq = ++this.seq;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.child.stdin!.write(`${JSON.stringify({ seq, cmd, ids })}\n`);
    });
  }
}
