import { Server, ServerCredentials } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { createInterface } from 'node:readline';
import { echoService } from './echo.service.js';

/*
 * The child program of BenchServers (bench-servers.process.ts): the bench's
 * echo servers run in a process of their own so the client under bench has
 * the parent's core to itself. Commands arrive as JSON lines on stdin
 * (`{seq, cmd: "start"|"stop", ids}`), answers leave as JSON lines on stdout;
 * the process exits when stdin closes, so it never outlives the bench.
 * BENCH_IDS lists the servers to start first.
 */

const ECHO = echoService('zonemesh.bench');
const running = new Map<string, Server>();
// A restarted server binds its first port again: callers keep their address.
const ports = new Map<string, number>();

function start(id: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = new Server();
    const answer = Buffer.from(id);
    server.addService(ECHO, { who: (_call: unknown, callback: (error: null, value: Buffer) => void) => callback(null, answer) });
    new HealthImplementation({ '': 'SERVING' }).addToServer(server);
    server.bindAsync(`127.0.0.1:${ports.get(id) ?? 0}`, ServerCredentials.createInsecure(), (error, port) => {
      if (error) return reject(error);
      ports.set(id, port);
      running.set(id, server);
      resolve();
    });
  });
}

function stop(id: string): void {
  const server = running.get(id);
  running.delete(id);
  server?.forceShutdown();
}

const reply = (message: object): void => {
  process.stdout.write(`${JSON.stringify(message)}\n`);
};

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const { seq, cmd, ids } = JSON.parse(line) as { seq: number; cmd: 'start' | 'stop'; ids: string[] };
  const done = cmd === 'stop' ? Promise.resolve(ids.forEach(stop)) : Promise.all(ids.filter((id) => !running.has(id)).map(start));
  done.then(
    () => reply({ seq, ok: true }),
    (error: unknown) => reply({ seq, ok: false, error: String((error as Error)?.message ?? error) }),
  );
});
lines.on('close', () => {
  for (const id of [...running.keys()]) stop(id);
  process.exit(0);
});

Promise.all((JSON.parse(process.env.BENCH_IDS ?? '[]') as string[]).map(start)).then(
  () => reply({ ready: Object.fromEntries(ports) }),
  (error: unknown) => {
    reply({ failed: String(error) });
    process.exit(1);
  },
);
