#!/usr/bin/env node
// The assertions of the compose CI step against a running stack, each printed
// as one `PASS name: detail` / `FAIL name: detail` line; exit 1 if any failed.
// Every request goes to a port published on 127.0.0.1.
//   node infra/compose/stack-checks.mjs --gateway URL --registry zone-a=URL --registry zone-b=URL
//        --prometheus URL [--instances 20] [--console URL]
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    gateway: { type: 'string' },
    registry: { type: 'string', multiple: true, default: [] },
    prometheus: { type: 'string' },
    console: { type: 'string' },
    instances: { type: 'string', default: '20' },
    'timeout-seconds': { type: 'string', default: '120' },
    // Only wait until the gateway answers this many requests in a row with 200 within 500 ms.
    settle: { type: 'string' },
  },
});
for (const flag of ['gateway', 'prometheus']) {
  if (!values[flag]?.startsWith('http://127.0.0.1:')) {
    console.error(`stack-checks: --${flag} must be an http://127.0.0.1:<port> URL, got ${values[flag] ?? 'nothing'}`);
    process.exit(2);
  }
}
const registries = Object.fromEntries(values.registry.map((r) => r.split(/=(.*)/s).slice(0, 2)));
const expected = Number(values.instances);
const timeoutMs = Number(values['timeout-seconds']) * 1000;
let failures = 0;

const getJson = async (url, headers = {}) => {
  const response = await fetch(url, { headers: { accept: 'application/json', ...headers }, signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
};

/** Polls `probe` until it returns { ok: true } or the deadline passes; reports the last detail. */
async function check(name, probe) {
  const deadline = Date.now() + timeoutMs;
  let last = 'never ran';
  for (;;) {
    try {
      const { ok, detail } = await probe();
      last = detail;
      if (ok) return console.log(`PASS ${name}: ${detail}`);
    } catch (error) {
      last = error.message;
    }
    if (Date.now() > deadline) {
      failures++;
      return console.log(`FAIL ${name}: ${last} (after ${timeoutMs / 1000} s)`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

if (values.settle) {
  const want = Number(values.settle);
  let streak = 0;
  await check(`gateway settled (${want} fast 200s in a row)`, async () => {
    const started = Date.now();
    const response = await fetch(`${values.gateway}/api/products/1`, { signal: AbortSignal.timeout(5000) });
    await response.arrayBuffer();
    streak = response.status === 200 && Date.now() - started < 500 ? streak + 1 : 0;
    return { ok: streak >= want, detail: `${streak} in a row` };
  });
  process.exit(failures ? 1 : 0);
}

await check('gateway answers /api/products/1 with servedBy', async () => {
  const body = await getJson(`${values.gateway}/api/products/1`);
  const s = body.servedBy ?? {};
  return { ok: Boolean(s.catalog && s.pricing && s.inventory), detail: `servedBy ${JSON.stringify(s)}` };
});

for (const [zone, url] of Object.entries(registries)) {
  await check(`registry ${zone} lists ${expected} instances, each with its zone`, async () => {
    const apps = (await getJson(`${url}/eureka/apps`)).applications?.application ?? [];
    const list = [apps].flat().flatMap((app) => [app.instance].flat());
    const up = list.filter((i) => i.status === 'UP');
    const zoneless = list.filter((i) => !i.metadata?.zone);
    const byApp = Object.fromEntries([apps].flat().map((app) => [app.name, [app.instance].flat().length]));
    return { ok: up.length === expected && zoneless.length === 0, detail: `${up.length} UP of ${list.length} ${JSON.stringify(byApp)}${zoneless.length ? `, ${zoneless.length} without metadata.zone` : ''}` };
  });
}

await check('every Prometheus target is up', async () => {
  const targets = (await getJson(`${values.prometheus}/api/v1/targets?state=active`)).data.activeTargets;
  const down = targets.filter((t) => t.health !== 'up').map((t) => `${t.labels.job}/${t.labels.instance}`);
  return { ok: targets.length > 0 && down.length === 0, detail: `${targets.length - down.length} of ${targets.length} up${down.length ? `; down: ${down.join(', ')}` : ''}` };
});

if (values.console) {
  await check('console serves its page and the whole topology, with catalog LB views and live ticks', async () => {
    const page = await fetch(`${values.console}/console/`, { signal: AbortSignal.timeout(5000) });
    const html = await page.text();
    if (!page.ok || !html.includes('<html')) return { ok: false, detail: `/console/: HTTP ${page.status}` };
    const topology = await getJson(`${values.console}/console/api/topology`);
    const instances = topology.processes.filter((p) => p.kind === 'service' || p.kind === 'legacy');
    const views = topology.processes.filter((p) => p.adminUrl).map((p) => p.name);
    const tick = await firstTick(`${values.console}/console/api/events`);
    const detail = `${instances.length} instances in ${topology.zones.join('/')}, LB views from ${views.join(', ')}, ${topology.dashboards.length} dashboards, prometheus ${topology.prometheus}, first tick ${tick ? 'received' : 'missing'}`;
    return { ok: instances.length === expected && views.length === 5 && topology.prometheus && topology.dashboards.length > 0 && Boolean(tick), detail };
  });
  await check('console refuses a request addressed to a foreign host name (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise((resolve, reject) => {
      const req = request(`${values.console}/console/api/topology`, { headers: { host: 'rebound.example' } }, (res) => { res.resume(); resolve(res.statusCode); });
      req.on('error', reject).end();
    });
    return { ok: status === 403, detail: `HTTP ${status}` };
  });
}

/** The first `tick` event of the console's live feed, or undefined after 10 s. */
async function firstTick(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  let buffer = '';
  try {
    for await (const chunk of response.body) {
      buffer += Buffer.from(chunk).toString('utf8');
      const frame = buffer.split('\n\n').find((f) => f.startsWith('event: tick'));
      if (frame) return JSON.parse(frame.slice(frame.indexOf('data: ') + 6));
    }
  } catch {
    return undefined;
  }
  return undefined;
}

process.exit(failures ? 1 : 0);
