import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '@zonemesh/routing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProjects, freePort, spawnService, type ServiceProcess, spawnMeshService, staticClustersEnv } from '@zonemesh/testing';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SEED = 0x5eed6;
const REQUESTS = 4000;
const CONCURRENCY = 12;
const REQUEST_DEADLINE_MS = 15_000;

const start = (service: string, instanceId: string, extra: Record<string, string> = {}): Promise<ServiceProcess> =>
  spawnMeshService(root, service, instanceId, extra);

/** One fuzzed request as raw bytes, with what it was made of for failure messages. */
interface FuzzRequest {
  readonly head: Buffer;
  readonly bodyBytes: number;
  readonly label: string;
}

/** Valid requests the fuzzer starts from and mutates. */
const BASES = ['/api/products/1', '/api/products/42', '/api/v2/products/7', '/api/v1/products/3', '/healthz', '/openapi.json', '/docs', '/', '/api', '/api/products', '/nope'];
const METHODS = ['GET', 'GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT', 'FOO', 'get', 'G ET', 'PROPFIND'];
const NASTY = ['%', '%00', '%zz', '%E0%A4%A', '..', '//', '/../', '%2F', '\u00e9', ';', '*', '~', '%ff%fe', '\\', '"', '<script>', "'", '{id}', '9'.repeat(40), '-1'];
const CONTENT_TYPES = ['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', '*/*', ';;;'];

function generator(random: () => number) {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const chance = (p: number) => random() < p;
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));

  function mutatePath(path: string): string {
    let out = path;
    const rounds = chance(0.4) ? 0 : 1 + Math.floor(random() * 2);
    for (let i = 0; i < rounds; i++) {
      const at = Math.floor(random() * (out.length + 1));
      switch (Math.floor(random() * 5)) {
        case 0:
          out = out.slice(0, at) + pick(NASTY) + out.slice(at);
          break;
        case 1:
          out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 4));
          break;
        case 2:
          out = out.replace(/[0-9]+$/, '1'.repeat(1 + Math.floor(random() * 400)));
          break;
        case 3:
          out = `${out}/${pick(NASTY)}`;
          break;
        default:
          out = out.replace('/api/', `/api/${pick(['v2', 'v3', 'v02', 'V2', 'v2x', 'v99999'])}/`);
      }
    }
    if (chance(0.01)) out = `/api/products/${'7'.repeat(20_000)}`;
    return out;
  }

  function query(): string {
    switch (Math.floor(random() * 8)) {
      case 0:
        return '?a=b&c=d';
      case 1:
        return `?${pick(NASTY)}=${pick(NASTY)}`;
      case 2:
        return `?x=${'q'.repeat(500 + Math.floor(random() * 3000))}`;
      case 3:
        return '?&&==&a[b]=c&a[b]=d';
      default:
        return '';
    }
  }

  return function next(): FuzzRequest {
    const method = pick(METHODS);
    const target = mutatePath(pick(BASES)) + query();
    const headers: string[] = [];
    if (!chance(0.03)) headers.push('Host: 127.0.0.1');
    if (chance(0.3)) headers.push(`x-api-version: ${pick(['v2', 'v1', 'v3', 'latest', '', 'v2, v1', ' v2 ', 'v'.repeat(300)])}`);
    if (chance(0.2)) headers.push(`x-request-id: ${pick(['ok-1', '', 'bad id with spaces', 'x'.repeat(500), '../../etc/passwd'])}`);
    if (chance(0.1)) headers.push(`traceparent: ${pick(['00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'garbage', '00-00000000000000000000000000000000-0000000000000000-00'])}`);
    if (chance(0.05)) headers.push(`x-big: ${'h'.repeat(20_000)}`);
    if (chance(0.03)) headers.push(`x-ctl: a${String.fromCharCode(1 + Math.floor(random() * 8))}b`);
    if (chance(0.03)) headers.push('x-api-version: v2', 'x-api-version: v1');
    let bodyBytes = 0;
    let body = Buffer.alloc(0);
    const bodyKind = random();
    if (bodyKind < 0.04) {
      bodyBytes = 100_000 + Math.floor(random() * 2_000_000);
    } else if (bodyKind < 0.25) {
      body = chance(0.5) ? Buffer.from(JSON.stringify({ id: Math.floor(random() * 1e6), s: pick(NASTY) })) : bytes(Math.floor(random() * 2000));
    }
    if (bodyBytes > 0 || body.length > 0) {
      headers.push(`Content-Type: ${pick(CONTENT_TYPES)}`);
      if (chance(0.1)) {
        headers.push('Transfer-Encoding: chunked');
        body = Buffer.concat([Buffer.from(`${chance(0.5) ? 'zz' : body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
      } else {
        headers.push(`Content-Length: ${bodyBytes || body.length}`);
      }
    }
    headers.push('Connection: close');
    const head = Buffer.concat([Buffer.from(`${method} ${target} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
    return { head, bodyBytes, label: `${method} ${target.slice(0, 120)} [${headers.map((h) => h.slice(0, 40)).join(' | ')}] body=${bodyBytes || body.length}` };
  };
}

interface RawAnswer {
  readonly status: number | undefined;
  readonly headers: string;
  readonly body: string;
  readonly error?: string;
}

/**
 * Sends raw bytes and reads until the server closes (every request says
 * `Connection: close`). Write errors are expected when the server refuses a
 * huge body early; what matters is the answer read back.
 */
function send(port: number, request: FuzzRequest): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let error: string | undefined;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${REQUEST_DEADLINE_MS} ms: ${request.label}`));
    }, REQUEST_DEADLINE_MS);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const status = /^HTTP\/1\.[01] (\d{3}) /.exec(text)?.[1];
      const headers = split === -1 ? text : text.slice(0, split);
      // Only the first answer: bytes the server did not consume may have been answered as a second request.
      const length = /^content-length: (\d+)/im.exec(headers)?.[1];
      const rest = split === -1 ? '' : text.slice(split + 4);
      resolve({
        status: status === undefined ? undefined : Number(status),
        headers,
        body: length === undefined ? rest : rest.slice(0, Number(length)),
        ...(error ? { error } : {}),
      });
    });
    socket.on('connect', () => {
      socket.write(request.head);
      let left = request.bodyBytes;
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (left > 0 && !socket.destroyed) {
          const n = Math.min(left, chunk.length);
          left -= n;
          if (!socket.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void socket.once('drain', pump);
        }
      };
      pump();
    });
  });
}

/**
 * Thousands of malformed and mutated requests (fixed seed) against a real
 * gateway in front of real catalog, pricing and inventory: every answer is
 * a 2xx or a JSON 4xx, never a 5xx, never a stack trace, never a hang, and
 * the gateway serves normal traffic afterwards.
 */
describe('gateway under fuzzed input', () => {
  let processes: ServiceProcess[] = [];
  let gateway: ServiceProcess;
  let port: number;

  beforeAll(async () => {
    await buildProjects(['apps/gateway/tsconfig.lib.json', 'apps/catalog/tsconfig.lib.json', 'apps/pricing/tsconfig.lib.json', 'apps/inventory/tsconfig.lib.json'], root);
    const [pricing, inventory] = await Promise.all([start('pricing', 'pricing-v1-zone-a-1'), start('inventory', 'inventory-zone-a-1')]);
    const catalog = await start('catalog', 'catalog-zone-a-1', staticClustersEnv({ pricing: [pricing.ready.address], inventory: [inventory.ready.address] }));
    port = await freePort();
    gateway = await spawnService({
      entry: 'apps/gateway/dist/main.js',
      cwd: root,
      env: { ZONEMESH_ZONE: 'zone-a', ZONEMESH_PORT: String(port), ZONEMESH_INSTANCE_ID: 'gateway-zone-a-1', ...staticClustersEnv({ catalog: [catalog.ready.address] }) },
    });
    processes = [pricing, inventory, catalog, gateway];
  }, 120_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
  });

  it(`answers ${REQUESTS} fuzzed requests with 2xx or JSON 4xx only, then still serves`, async () => {
    const next = generator(seededRandom(SEED));
    const requests = Array.from({ length: REQUESTS }, next);
    const byStatus = new Map<string, number>();
    const problems: string[] = [];
    let unanswered = 0;
    let cursor = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (cursor < requests.length) {
          const request = requests[cursor++]!;
          const answer = await send(port, request);
          const key = String(answer.status ?? 'none');
          byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
          if (answer.status === undefined) {
            // Only a huge body may see the connection reset before the refusal is read back.
            if (request.bodyBytes > 0) unanswered++;
            else problems.push(`no answer (${answer.error ?? 'closed'}): ${request.label}`);
            continue;
          }
          if (answer.status >= 500) problems.push(`${answer.status}: ${request.label}: ${answer.body.slice(0, 200)}`);
          if (/\bat .+\.(js|ts):\d+/.test(answer.body)) problems.push(`stack trace: ${request.label}`);
          const isHead = request.head.subarray(0, 5).toString() === 'HEAD ';
          if (answer.status >= 400 && !isHead) {
            const body = (() => {
              try {
                return JSON.parse(answer.body) as { error?: { code?: unknown; message?: unknown; requestId?: unknown } };
              } catch {
                return undefined;
              }
            })();
            if (!/content-type: application\/json/i.test(answer.headers) || typeof body?.error?.code !== 'string' || !body.error.requestId) {
              problems.push(`not a JSON error (${answer.status}): ${request.label}: ${answer.body.slice(0, 120)}`);
            }
          }
        }
      }),
    );
    const summary = JSON.stringify(Object.fromEntries([...byStatus].sort()));
    console.log(`fuzz seed ${SEED}: answers by status ${summary}`);
    expect(problems.slice(0, 10), summary).toEqual([]);
    expect([...byStatus.values()].reduce((a, b) => a + b, 0)).toBe(REQUESTS);
    // The mix really exercised the refusals, not only happy paths.
    for (const status of ['200', '400', '404', '405', '413', '431']) expect(byStatus.get(status) ?? 0, `${status} in ${summary}`).toBeGreaterThan(0);
    expect(unanswered, summary).toBeLessThan(REQUESTS * 0.02);

    const after = await fetch(`http://127.0.0.1:${port}/api/products/5`, { headers: { 'x-api-version': 'v2' } });
    expect(after.status).toBe(200);
    expect(((await after.json()) as { servedBy: { catalog: string } }).servedBy.catalog).toBe('catalog-zone-a-1');
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(gateway.child.exitCode).toBeNull();
    expect(gateway.stderr()).not.toMatch(/unhandled|TypeError|RangeError/);
  }, 240_000);
});
