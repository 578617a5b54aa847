import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ActionError, parseFaultRequest, parseScope } from '../actions/fault-request.js';
import { FaultDesk } from '../actions/fault-desk.js';
import { ScenarioDesk } from '../actions/scenario-desk.js';
import type { ConsoleOptions } from '../console-options.js';
import { loadDashboards } from '../dashboards/grafana-dashboard.js';
import type { PreviewDashboard } from '../wire.js';
import { panelData } from '../dashboards/panel-data.js';
import { LiveFeed } from '../live/live-feed.js';
import { MeshPoller } from '../live/mesh-poller.js';
import type { TopologyAnswer } from '../wire.js';
import { readJsonBody } from './json-body.js';
import { refusal } from './request-guard.js';
import { ACTION_CHALLENGE, hasActionCredential } from './action-credential.js';
import { CredentialDigest } from '@zonemesh/discovery';
import { SseHub } from './sse-hub.js';
import { reportFile, staticFile } from './static-files.js';

export interface RunningConsole {
  /** `http://127.0.0.1:8070/console/`. */
  readonly url: string;
  readonly port: number;
  /** Heals the console's own faults, ends every event stream and closes the server. */
  stop(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

/**
 * The live console: a page at /console/ and its API under /console/api/.
 * Read side: the topology, one event stream of ticks (tiles, traffic, fault
 * bands) and scenario progress, dashboard panels from Prometheus. Write
 * side: fault buttons, heal, scenario runs. Loopback only unless `host` says
 * otherwise (see request-guard.ts).
 */
export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  const host = options.host ?? '127.0.0.1';
  const actionCredential = options.actionCredential === undefined ? undefined : CredentialDigest.of(options.actionCredential);
  const { topology } = options;
  const hub = new SseHub();
  const meshServices = [...new Set(topology.processes.filter((p) => p.kind === 'service').map((p) => p.service))];
  const faults = new FaultDesk(topology.toxiproxyUrl, meshServices, options.processes, options.crashRestartMs);
  const reportDir = options.reportDir ?? join(tmpdir(), 'zonemesh-console-reports');
  const scenarios = new ScenarioDesk(
    options.scenarioDir,
    reportDir,
    { gatewayUrl: topology.gatewayUrl, toxiproxyUrl: topology.toxiproxyUrl, registryUrls: topology.registryUrls, ...(options.processes ? { processes: options.processes } : {}) },
    (run) => hub.send('scenario', run),
  );
  let dashboards: PreviewDashboard[] = [];
  let dashboardsError: string | undefined;
  if (options.dashboardsDir) {
    try {
      dashboards = await loadDashboards(options.dashboardsDir);
    } catch (error) {
      dashboardsError = `cannot read dashboards in ${options.dashboardsDir}: ${(error as Error).message}`;
    }
  }
  const feed = new LiveFeed(topology, new MeshPoller(topology, options.processStates), (tick) => hub.send('tick', { ...tick, faults: faults.active() }), options.tickMs, options.historyMs);

  const api = async (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> => {
    const route = `${req.method} ${path}`;
    switch (route) {
      case 'GET /console/api/topology': {
        const answer: TopologyAnswer = {
          ...topology,
          canCrash: faults.canCrash,
          scenarios: await scenarios.list(),
          prometheus: options.prometheusUrl !== undefined,
          dashboards: dashboards.map((d) => ({ uid: d.uid, title: d.title })),
          ...(dashboardsError ? { dashboardsError } : {}),
        };
        return json(res, 200, answer);
      }
      case 'GET /console/api/events':
        return hub.add(res, [
          { event: 'history', data: { past: feed.past, bands: feed.latest?.bands ?? [] } },
          ...(feed.latest ? [{ event: 'tick', data: { ...feed.latest, faults: faults.active() } }] : []),
          ...(scenarios.run ? [{ event: 'scenario', data: scenarios.run }] : []),
        ]);
      case 'POST /console/api/faults': {
        const { action, scope } = parseFaultRequest(await readJsonBody(req));
        return json(res, 201, await faults.apply(action, scope));
      }
      case 'POST /console/api/heal': {
        const body = (await readJsonBody(req)) as { target?: unknown; id?: unknown };
        const scope = parseScope(body.target);
        return json(res, 200, await faults.heal({ ...scope, ...(typeof body.id === 'string' ? { id: body.id } : {}) }));
      }
      case 'POST /console/api/scenarios/run': {
        const body = (await readJsonBody(req)) as { scenario?: unknown; short?: unknown };
        return json(res, 202, await scenarios.start(body.scenario, body.short));
      }
      case 'POST /console/api/scenarios/stop':
        scenarios.stop();
        return json(res, 202, { stopping: scenarios.run?.scenario ?? null });
    }
    const panel = /^\/console\/api\/dashboards\/([\w-]+)$/.exec(path);
    if (req.method === 'GET' && panel) {
      const dashboard = dashboards.find((d) => d.uid === panel[1]);
      if (!dashboard) return json(res, 404, { error: `no dashboard ${panel[1]}` });
      return json(res, 200, dashboard);
    }
    const data = /^\/console\/api\/dashboards\/([\w-]+)\/panels\/(\d+)$/.exec(path);
    if (req.method === 'GET' && data) {
      if (!options.prometheusUrl) return json(res, 409, { error: 'no Prometheus: start the mesh with `zonemesh up --prometheus`' });
      const p = dashboards.find((d) => d.uid === data[1])?.panels.find((x) => x.id === Number(data[2]));
      if (!p) return json(res, 404, { error: `no panel ${data[2]} in dashboard ${data[1]}` });
      const minutes = Number(query.get('minutes') ?? '15');
      if (!Number.isFinite(minutes) || minutes < 1 || minutes > 360) return json(res, 400, { error: 'minutes: expected 1..360' });
      return json(res, 200, await panelData(options.prometheusUrl, p, minutes * 60, Math.max(5, Math.round((minutes * 60) / 240))));
    }
    return json(res, req.method === 'GET' || req.method === 'POST' ? 404 : 405, { error: `no route ${route}` });
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://console');
    const path = url.pathname;
    const refused = refusal(req, host, options.allowedHosts);
    if (refused) return json(res, 403, { error: refused });
    if (req.method === 'POST' && actionCredential !== undefined && !hasActionCredential(req, actionCredential)) {
      res.setHeader('www-authenticate', ACTION_CHALLENGE);
      return json(res, 401, { error: 'console actions need the registry write credential (user:pass, as in .zonemesh/registry-credentials)' });
    }
    const handle = async () => {
      if (path === '/' || path === '/console') return void res.writeHead(302, { location: '/console/' }).end();
      if (path.startsWith('/console/api/')) return api(req, res, path, url.searchParams);
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: `${req.method} not allowed here` });
      const report = /^\/console\/reports\/([^/]+)$/.exec(path);
      const file = report ? await reportFile(reportDir, report[1]!) : await staticFile(path);
      if (!file) return json(res, 404, { error: `not found: ${path}` });
      res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-cache' }).end(req.method === 'HEAD' ? undefined : file.body);
    };
    handle().catch((error: unknown) => {
      if (res.headersSent) return void res.end();
      if (error instanceof ActionError) return json(res, 400, { error: error.message });
      json(res, 500, { error: (error as Error).message });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port ?? 8070 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  feed.start();
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/console/`,
    port,
    stop: async () => {
      feed.stop();
      scenarios.stop();
      await faults.close();
      hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
