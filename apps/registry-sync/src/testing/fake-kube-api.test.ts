// Test fixture, not a test: an HTTP server that answers EndpointSlice list
// requests and replays watch streams line by line, as the API server does.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface KubeRequest {
  readonly watch: boolean;
  readonly resourceVersion: string | null;
  readonly labelSelector: string | null;
}

export class FakeKubeApi {
  /** What a list answers: `metadata.resourceVersion` and items. */
  list: { resourceVersion: string; items: unknown[] } = { resourceVersion: '1', items: [] };
  /** When set, the next watch request is answered with this HTTP status (410 Gone: the version is too old). */
  nextWatchStatus: number | undefined;
  readonly requests: KubeRequest[] = [];
  private readonly watches = new Set<ServerResponse>();
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  port = 0;

  static async start(): Promise<FakeKubeApi> {
    const api = new FakeKubeApi();
    await api.listen();
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get openWatches(): number {
    return this.watches.size;
  }

  /** Writes one recorded watch event (`{"type":"ADDED","object":{...}}`) to every open watch. */
  send(event: { type: string; object: unknown }): void {
    for (const watch of this.watches) watch.write(`${JSON.stringify(event)}\n`);
  }

  /** Ends every open watch stream (the API server's watch timeout). */
  endWatches(): void {
    for (const watch of this.watches) watch.end();
    this.watches.clear();
  }

  async listen(): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', () => resolve()));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Stops listening and drops every connection: the API server is unreachable. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.watches.clear();
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!/^\/apis\/discovery\.k8s\.io\/v1\/namespaces\/[^/]+\/endpointslices$/.test(url.pathname)) {
      res.writeHead(404).end();
      return;
    }
    const watch = url.searchParams.get('watch') === 'true';
    this.requests.push({ watch, resourceVersion: url.searchParams.get('resourceVersion'), labelSelector: url.searchParams.get('labelSelector') });
    if (!watch) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ kind: 'EndpointSliceList', apiVersion: 'discovery.k8s.io/v1', metadata: { resourceVersion: this.list.resourceVersion }, items: this.list.items }),
      );
      return;
    }
    if (this.nextWatchStatus !== undefined) {
      const status = this.nextWatchStatus;
      this.nextWatchStatus = undefined;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: status, reason: 'Expired' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    this.watches.add(res);
    res.on('close', () => this.watches.delete(res));
  }
}

/** An EndpointSlice as `kubectl get endpointslice -o json` prints it (the fields the syncer reads and some it ignores). */
export function endpointSlice(
  name: string,
  resourceVersion: string,
  endpoints: Array<{ ip: string; pod: string; zone: string; ready: boolean }>,
  port = 9080,
): Record<string, unknown> {
  return {
    kind: 'EndpointSlice',
    apiVersion: 'discovery.k8s.io/v1',
    metadata: {
      name,
      namespace: 'shop',
      uid: `uid-${name}`,
      resourceVersion,
      generateName: 'reviews-',
      labels: { 'kubernetes.io/service-name': 'reviews', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', app: 'reviews' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'reviews', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }],
    },
    addressType: 'IPv4',
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready, serving: e.ready, terminating: false },
      nodeName: `node-${e.zone}`,
      zone: e.zone,
      targetRef: { kind: 'Pod', namespace: 'shop', name: e.pod, uid: `uid-${e.pod}` },
    })),
    ports: [{ name: 'http', protocol: 'TCP', port }],
  };
}
