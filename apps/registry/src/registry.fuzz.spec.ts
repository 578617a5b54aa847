import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRegistry, startRegistryServer } from './registry-server.js';
import { springRegisterBody } from './spring-register-body.js';

// Hostile input at volume: >= 10 000 random and mutated requests with a fixed
// seed, many in flight, then the registry must still serve every instance it
// held before, answer quickly, and never have answered 5xx where Eureka does not.
const SEED = 0x5eed_2026;
const REQUESTS = 10_500;
const CONCURRENCY = 24;
const KEEPERS = 20;

/** mulberry32: a small deterministic PRNG, so a failure replays exactly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const random = prng(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const chance = (p: number): boolean => random() < p;
const int = (max: number): number => Math.floor(random() * max);

function randomText(max: number): string {
  const alphabet = Array.from('abcXYZ019 -_.:/\\%&=?#@!$*()[]{}<>"\'`~^|;,+\u00e9\u4e2d\u{1f600}\u0000\n\t');
  let out = '';
  const length = int(max);
  for (let i = 0; i < length; i++) out += alphabet[int(alphabet.length)];
  return out;
}

/** Path-safe garbage: what a hostile or broken client may put into a URL. */
function pathGarbage(): string {
  return pick(['', '%', '%00', '%zz', '..', '../..', 'a'.repeat(int(3_000)), encodeURIComponent(randomText(40)), '%2F', ';x=1', '{id}', 'KEEPER%00']);
}

const FUZZ_APPS = ['FUZZ', 'fuzz', 'MYAPP', 'OTHER', '', 'Z'.repeat(300)];
const STATUSES = ['UP', 'DOWN', 'STARTING', 'OUT_OF_SERVICE', 'UNKNOWN', 'up', 'BROKEN', '', '\u0000'];

function mutateValue(value: unknown, depth = 0): unknown {
  switch (int(12)) {
    case 0: return undefined;
    case 1: return null;
    case 2: return randomText(60);
    case 3: return random() * 1e20 - 1e19;
    case 4: return chance(0.5);
    case 5: return [value, value];
    case 6: return { $: value, '@enabled': randomText(5) };
    case 7: return depth < 3 && typeof value === 'object' && value !== null ? mutateObject(value as Record<string, unknown>, depth + 1) : value;
    case 8: return 'x'.repeat(int(100_000));
    case 9: return { __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } };
    case 10: return -1;
    default: return value;
  }
}

function mutateObject(source: Record<string, unknown>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = { ...source };
  const keys = Object.keys(out);
  const rounds = 1 + int(4);
  for (let i = 0; i < rounds; i++) {
    const key = chance(0.85) && keys.length > 0 ? pick(keys) : pick(['__proto__', 'constructor', randomText(10), 'overriddenstatus']);
    out[key] = mutateValue(out[key], depth);
  }
  return out;
}

function fuzzInstance(app: string): Record<string, unknown> {
  return mutateObject(springRegisterBody({ instanceId: `fz-${int(200)}`, app, status: pick(STATUSES) }).instance);
}

function toXml(value: unknown, name: string, depth = 0): string {
  if (depth > 6) return '';
  if (Array.isArray(value)) return value.map((v) => toXml(v, name, depth + 1)).join('');
  if (value === null || value === undefined) return `<${name}/>`;
  if (typeof value !== 'object') return `<${name}>${String(value).replace(/[<&]/g, '')}</${name}>`;
  return `<${name}>${Object.entries(value).map(([k, v]) => toXml(v, k.replace(/[^A-Za-z_]/g, '_') || 'x', depth + 1)).join('')}</${name}>`;
}

const LAUGHS =
  '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
  '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>' +
  '<instance><instanceId>&lol4;</instanceId><hostName>h</hostName><app>FUZZ</app><ipAddr>1</ipAddr><dataCenterInfo><name>MyOwn</name></dataCenterInfo></instance>';

interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Buffer;
}

/**
 * A body with a literal `"__proto__"` key: an object literal cannot make one
 * (`{ __proto__: x }` sets the prototype and JSON.stringify drops it), so the
 * key is spliced into the serialised text.
 */
function withProtoKey(json: string): string {
  return json.replace(/\{/g, () => (chance(0.5) ? '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},' : '{')).replace(/,\}/g, '}');
}

function fuzzBody(app: string): { body?: string | Buffer; contentType?: string } {
  switch (int(16)) {
    case 13: return { body: withProtoKey(JSON.stringify(springRegisterBody({ instanceId: `fz-${int(200)}`, app, metadata: { k: 'v' } }))), contentType: 'application/json' };
    case 14: return { body: toXml(springRegisterBody({ instanceId: `fz-${int(200)}`, app }).instance, 'instance').replace('</instance>', '<__proto__><polluted>yes</polluted></__proto__></instance>'), contentType: 'application/xml' };
    case 0: return { body: JSON.stringify({ instance: fuzzInstance(app) }), contentType: 'application/json' };
    case 1: return { body: JSON.stringify({ instance: [fuzzInstance(app), fuzzInstance(app)] }), contentType: 'application/json' };
    case 2: return { body: JSON.stringify({ instance: fuzzInstance(app) }).slice(0, int(400)), contentType: 'application/json' };
    case 3: return { body: toXml(fuzzInstance(app), 'instance'), contentType: pick(['application/xml', 'text/xml']) };
    case 4: return { body: toXml(fuzzInstance(app), 'instance').slice(0, int(300)), contentType: 'application/xml' };
    case 5: return { body: LAUGHS, contentType: 'application/xml' };
    case 6: return { body: Buffer.from(Array.from({ length: int(2_000) }, () => int(256))), contentType: pick(['application/json', 'application/xml', 'application/octet-stream']) };
    case 7: return chance(0.15) ? { body: `{"instance":"${'A'.repeat(1_300_000)}"}`, contentType: 'application/json' } : { body: '[]', contentType: 'application/json' };
    case 8: return { body: '['.repeat(50_000) + ']'.repeat(50_000), contentType: 'application/json' };
    case 9: return { body: randomText(200), contentType: pick(['text/plain', 'application/json; charset=utf-16', 'multipart/form-data', '']) };
    case 10: return {
      body: JSON.stringify({
        replicationList: Array.from({ length: int(30) }, () =>
          chance(0.8)
            ? mutateObject({ appName: pick(FUZZ_APPS), id: `fz-${int(200)}`, status: pick(STATUSES), lastDirtyTimestamp: int(1e13), action: pick(['Register', 'Heartbeat', 'Cancel', 'StatusUpdate', 'DeleteStatusOverride', 'Nope']), instanceInfo: fuzzInstance('FUZZ') })
            : mutateValue('x'),
        ),
      }),
      contentType: 'application/json',
    };
    case 11: return { body: JSON.stringify(mutateValue({ replicationList: 'x' })), contentType: 'application/json' };
    case 12: return { body: '' , contentType: 'application/json' };
    default: return {};
  }
}

function fuzzRequest(): FuzzRequest {
  const app = pick(FUZZ_APPS);
  const mount = pick(['/eureka', '/eureka/v2', '/eureka/', '/eureka//v2', '', '/eureka/v3']);
  const id = chance(0.8) ? `fz-${int(200)}` : pathGarbage();
  const query = chance(0.5)
    ? `?${pick(['status', 'value', 'lastDirtyTimestamp', 'overriddenstatus', 'k', '__proto__', 'constructor'])}=${encodeURIComponent(pick([...STATUSES, String(int(1e14)), randomText(20)]))}${chance(0.3) ? '&value=UP&value=DOWN' : ''}`
    : '';
  const path = pick([
    `/apps/${app}`,
    `/apps/${app}/`,
    `/apps/${app}/${id}`,
    `/apps/${app}/${id}/status`,
    `/apps/${app}/${id}/metadata`,
    '/apps',
    '/apps/delta',
    `/instances/${id}`,
    `/vips/${pathGarbage()}`,
    `/svips/${pathGarbage()}`,
    '/peerreplication/batch/',
    `/${pathGarbage()}/${pathGarbage()}`,
  ]);
  const { body, contentType } = fuzzBody(app);
  const headers: Record<string, string> = {};
  if (contentType !== undefined && contentType !== '') headers['content-type'] = contentType;
  if (chance(0.7)) headers.accept = pick(['application/json', 'application/xml', '*/*', 'text/html', 'application/json;q=0.1, */*']);
  if (chance(0.4)) headers['accept-encoding'] = pick(['gzip', 'br', 'gzip, deflate', 'identity;q=0']);
  if (chance(0.2)) headers['x-netflix-discovery-replication'] = pick(['true', 'TRUE', 'false', '1']);
  const method = pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND', 'POST', 'PUT']);
  return { method, path: `${mount}${path}${query}`, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body };
}

let registry: RunningRegistry;
let pool: Pool;

beforeAll(async () => {
  registry = await startRegistryServer({ port: 0 });
  pool = new Pool(`http://127.0.0.1:${registry.port}`, { connections: CONCURRENCY });
  for (let i = 0; i < KEEPERS; i++) {
    const response = await fetch(`${registry.url}/apps/KEEPER`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(springRegisterBody({ instanceId: `keeper-${i}`, app: 'KEEPER', metadata: { zone: `zone-${i % 2}` } })),
    });
    expect(response.status).toBe(204);
  }
});

afterAll(async () => {
  await pool?.close();
  await registry?.close();
});

describe('registry under fuzzed input', () => {
  it(`survives ${REQUESTS} random and mutated requests and still serves every instance registered before`, async () => {
    const requests = Array.from({ length: REQUESTS }, fuzzRequest);
    const statuses = new Map<number, number>();
    const unexpected: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < requests.length) {
        const request = requests[next++];
        let status: number;
        try {
          const response = await pool.request({
            method: request.method,
            path: request.path,
            headers: request.headers,
            body: request.body,
            headersTimeout: 10_000,
            bodyTimeout: 10_000,
          });
          await response.body.dump({ limit: 64 * 1024 * 1024 }).catch(() => undefined);
          status = response.statusCode;
        } catch (error) {
          const code = (error as { code?: string }).code ?? '';
          // Huge bodies may be cut off by a 413 before they are fully sent: the server answered, the client saw a reset.
          if (typeof request.body !== 'undefined' && request.body.length > 1_000_000 && /SOCKET|ECONNRESET|EPIPE/.test(code)) continue;
          unexpected.push(`${request.method} ${request.path.slice(0, 120)}: ${code || (error as Error).message}`);
          continue;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        // Eureka answers 500 only for an invalid status override value; anything else is a bug.
        if (status >= 500 && !(status === 500 && /\/status(\?|$)/.test(request.path))) {
          unexpected.push(`${request.method} ${request.path.slice(0, 120)} -> ${status}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    expect(unexpected.slice(0, 20)).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10_000);
    // The fuzz hit the interesting answers, not only 404s.
    for (const code of [200, 204, 400, 404, 413]) expect(statuses.get(code) ?? 0, `answers ${code}`).toBeGreaterThan(0);

    const started = Date.now();
    const response = await fetch(`${registry.url}/apps/KEEPER`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(2_000) });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { application: { instance: Array<{ instanceId: string; status: string; metadata: Record<string, string> }> } };
    const keepers = body.application.instance.map((i) => i.instanceId).sort();
    expect(keepers).toEqual(Array.from({ length: KEEPERS }, (_, i) => `keeper-${i}`).sort());
    expect(body.application.instance.every((i) => i.status === 'UP' && i.metadata.zone?.startsWith('zone-'))).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000); // ~25 s on an idle 2-core machine; CI shares it

  it('drops literal "__proto__" and "constructor" keys of JSON bodies and refuses them in XML: nothing is polluted', async () => {
    const protoJson = (id: string) =>
      JSON.stringify(springRegisterBody({ instanceId: id, app: 'PROTO', metadata: { zone: 'zone-a' } }))
        .replace('{"instance":{', '{"__proto__":{"polluted":"yes"},"instance":{"__proto__":{"polluted":"yes"},')
        .replace('"metadata":{', '"metadata":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},');
    expect(protoJson('p-1')).toContain('"metadata":{"__proto__"');
    const post = (path: string, body: string, contentType: string) =>
      fetch(`${registry.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });

    expect((await post('/apps/PROTO', protoJson('p-1'), 'application/json')).status).toBe(204);
    const batch = `{"replicationList":[{"__proto__":{"polluted":"yes"},"appName":"PROTO","id":"p-2","action":"Register","instanceInfo":${
      JSON.stringify(springRegisterBody({ instanceId: 'p-2', app: 'PROTO' }).instance).replace('{', '{"__proto__":{"polluted":"yes"},')
    }}]}`;
    const replicated = await fetch(`${registry.url}/peerreplication/batch/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-netflix-discovery-replication': 'true' },
      body: batch,
    });
    expect(((await replicated.json()) as { responseList: Array<{ statusCode: number }> }).responseList).toEqual([{ statusCode: 200 }]);
    expect((await fetch(`${registry.url}/apps/PROTO/p-1/metadata?__proto__=x`, { method: 'PUT' })).status).toBe(200);

    const xml = toXml(springRegisterBody({ instanceId: 'p-3', app: 'PROTO' }).instance, 'instance');
    for (const tag of ['__proto__', 'constructor']) {
      const hostile = xml.replace('</instance>', `<metadata><${tag}><polluted>yes</polluted></${tag}></metadata></instance>`);
      expect([204, 400], `XML <${tag}>`).toContain((await post('/apps/PROTO', hostile, 'application/xml')).status);
    }
    expect((await post('/apps/PROTO', LAUGHS.replace('FUZZ', 'PROTO'), 'application/xml')).status).toBe(400);

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    for (const instance of registry.store.application('PROTO')?.instances ?? []) {
      for (const value of [instance, instance.metadata, instance.leaseInfo, instance.dataCenterInfo]) {
        expect(Object.getPrototypeOf(value), instance.instanceId).toBe(Object.prototype);
        expect(Object.hasOwn(value, '__proto__')).toBe(false);
        expect((value as Record<string, unknown>).polluted).toBeUndefined();
      }
      expect(Object.hasOwn(instance.metadata, 'constructor')).toBe(false);
    }
    expect(registry.store.instance('PROTO', 'p-1')?.metadata).toEqual({ zone: 'zone-a' });
    expect(registry.store.instance('PROTO', 'p-2')).toBeDefined();
  });
});
