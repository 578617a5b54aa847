import { type Server, createServer } from 'node:http';

/** A scripted answer; `undefined` from the handler destroys the connection (a dead server). */
export type FakeAnswer = { readonly status: number; readonly body?: unknown } | undefined;

/** A loopback HTTP server answering Eureka paths from a script, counting requests per `METHOD path`. */
export interface FakeRegistry {
  readonly url: string;
  readonly requests: string[];
  /** The Authorization header of each request, in order (undefined: none sent). */
  readonly authorizations: (string | undefined)[];
  count(prefix: string): number;
  close(): Promise<void>;
}

export async function startFakeRegistry(answer: (method: string, path: string) => FakeAnswer): Promise<FakeRegistry> {
  const requests: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').replace(/^\/eureka/, '');
    requests.push(`${request.method} ${path}`);
    authorizations.push(request.headers.authorization);
    request.resume();
    const result = answer(request.method ?? 'GET', path);
    if (result === undefined) {
      request.socket.destroy();
      return;
    }
    const body = result.body === undefined ? '' : typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
    response.writeHead(result.status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/eureka`,
    requests,
    authorizations,
    count: (prefix) => requests.filter((r) => r.startsWith(prefix)).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `{"applications":...}` with the given instances (app, id, status, port) and hash. */
export function appsBody(
  instances: ReadonlyArray<{ app: string; id: string; status?: string; port?: number; zone?: string; actionType?: string }>,
  hash: string,
) {
  const byApp = new Map<string, unknown[]>();
  for (const i of instances) {
    const list = byApp.get(i.app) ?? [];
    list.push({
      instanceId: i.id,
      hostName: 'h',
      app: i.app,
      ipAddr: '127.0.0.1',
      status: i.status ?? 'UP',
      port: { $: i.port ?? 7000, '@enabled': 'true' },
      metadata: i.zone === undefined ? { '@class': 'java.util.Collections$EmptyMap' } : { zone: i.zone },
      ...(i.actionType === undefined ? {} : { actionType: i.actionType }),
    });
    byApp.set(i.app, list);
  }
  return {
    applications: {
      versions__delta: '1',
      apps__hashcode: hash,
      application: [...byApp].map(([name, instance]) => ({ name, instance })),
    },
  };
}
