import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A child process that printed `{"event":"listening","port":N}`. */
export interface Spawned {
  readonly origin: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

export async function spawnListening(args: string[], what: string): Promise<Spawned> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    // Generous: on a loaded 2-core machine a Node process can take tens of seconds to start.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} did not start within 60 s: ${stderr}`));
    }, 60_000);
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      const event = JSON.parse(line) as { event?: string; port?: number };
      if (event.event === 'listening' && event.port !== undefined) {
        clearTimeout(timer);
        resolve(event.port);
      }
    });
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}: ${stderr}`)));
  });
  // The registry logs one line per registration: drain it so the pipe never blocks the child.
  child.stdout?.resume();
  return {
    origin: `http://127.0.0.1:${port}`,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

const registryUnderBench = fileURLToPath(new URL('./registry-under-bench.main.js', import.meta.url));

/** A registry process (fast profile) with the given delta retention and peers. */
export function spawnRegistry(settings: { zone: string; deltaRetentionMs: number; peers?: string[] }): Promise<Spawned> {
  return spawnListening([registryUnderBench, JSON.stringify(settings)], `registry ${settings.zone}`);
}

/**
 * A Fastify server with the ceilings for the registry's two jobs: a renewal
 * route that does nothing, and `GET /bare/{bytes}` answering a pre-built
 * buffer of that size (the fastest a payload of that size can be served).
 */
export function spawnBareFastify(): Promise<Spawned> {
  const fastifyUrl = pathToFileURL(createRequire(import.meta.url).resolve('fastify')).href;
  const script =
    `const { default: Fastify } = await import(${JSON.stringify(fastifyUrl)});` +
    `const app = Fastify({ logger: false });` +
    `const buffers = new Map();` +
    `app.put('/eureka/apps/:app/:id', async (request, reply) => reply.code(200).send(''));` +
    `app.get('/bare/:bytes', async (request, reply) => {` +
    `  const size = Math.min(Number(request.params.bytes) || 0, 512 * 1024 * 1024);` +
    `  if (!buffers.has(size)) { buffers.clear(); buffers.set(size, Buffer.alloc(size, 32)); }` +
    `  return reply.type('application/json').send(buffers.get(size));` +
    `});` +
    `await app.listen({ host: '127.0.0.1', port: 0 });` +
    `process.stdout.write(JSON.stringify({ event: 'listening', port: app.server.address().port }) + '\\n');` +
    `process.on('SIGTERM', () => app.close().then(() => process.exit(0)));`;
  return spawnListening(['--input-type=module', '-e', script], 'bare fastify');
}

export function rssBytes(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}
