import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

/** One echo server of the bench: answers `Who` with its id and serves grpc.health.v1. */
export interface BenchServer {
  readonly id: string;
  readonly zone: string;
  readonly address: string;
}

/*
 * The servers run in a child process of their own, so the client under bench
 * has the parent's core to itself. The script is plain CommonJS passed with -e:
 * it runs the same from the TypeScript sources (vitest) and from dist/.
 * Commands arrive as JSON lines on stdin; the child exits when stdin closes,
 * so it never outlives the bench.
 */
const SERVER_SCRIPT = `
const grpc = require(process.env.BENCH_GRPC_JS);
const { HealthImplementation } = require(process.env.BENCH_HEALTH_CHECK);
const readline = require('node:readline');
const identity = (b) => b;
const ECHO = { who: { path: '/zonemesh.bench.Echo/Who', requestStream: false, responseStream: false,
  requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity, originalName: 'Who' } };
const running = new Map();
const ports = new Map();
function start(id) {
  return new Promise((resolve, reject) => {
    const server = new grpc.Server();
    const reply = Buffer.from(id);
    server.addService(ECHO, { who: (_call, callback) => callback(null, reply) });
    new HealthImplementation({ '': 'SERVING' }).addToServer(server);
    server.bindAsync('127.0.0.1:' + (ports.get(id) || 0), grpc.ServerCredentials.createInsecure(), (error, port) => {
      if (error) return reject(error);
      ports.set(id, port);
      running.set(id, server);
      resolve();
    });
  });
}
function stop(id) {
  const server = running.get(id);
  running.delete(id);
  if (server) server.forceShutdown();
}
const reply = (message) => process.stdout.write(JSON.stringify(message) + '\\n');
const lines = readline.createInterface({ input: process.stdin });
lines.on('line', async (line) => {
  const { seq, cmd, ids } = JSON.parse(line);
  try {
    if (cmd === 'stop') ids.forEach(stop);
    else if (cmd === 'start') await Promise.all(ids.filter((id) => !running.has(id)).map(start));
    reply({ seq, ok: true });
  } catch (error) {
    reply({ seq, ok: false, error: String(error && error.message || error) });
  }
});
lines.on('close', () => { for (const id of [...running.keys()]) stop(id); process.exit(0); });
Promise.all(JSON.parse(process.env.BENCH_IDS).map(start)).then(
  () => reply({ ready: Object.fromEntries(ports) }),
  (error) => { reply({ failed: String(error) }); process.exit(1); },
);
`;

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
    const require = createRequire(import.meta.url);
    const child = spawn(process.execPath, ['-e', SERVER_SCRIPT], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: {
        ...process.env,
        BENCH_GRPC_JS: require.resolve('@grpc/grpc-js'),
        BENCH_HEALTH_CHECK: require.resolve('grpc-health-check'),
        BENCH_IDS: JSON.stringify(specs.map((s) => s.id)),
      },
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
