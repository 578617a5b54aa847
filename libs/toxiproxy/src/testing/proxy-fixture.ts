import { Toxiproxy, type Proxy } from 'toxiproxy-node-client';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startToxiproxyServer, type ToxiproxyServer } from '../toxiproxy-server.js';
import { portOf, startEchoServer, TestClient, type EchoServer } from './tcp-harness.js';

/**
 * A fault proxy server, an echo upstream and a toxiproxy-node-client for
 * one spec file: started before the file's tests, every test's proxy and
 * clients removed after it, everything closed at the end.
 */
export interface ProxyFixture {
  readonly server: ToxiproxyServer;
  readonly echo: EchoServer;
  readonly toxiproxy: Toxiproxy;
  /** The proxy of the running test (the last one `freshProxy` made). */
  readonly proxy: Proxy;
  /** A new proxy named `<prefix>-<n>` in front of `upstream` (the echo server by default). */
  freshProxy(upstream?: string): Promise<Proxy>;
  /** A client connected to the current proxy, destroyed after the test. */
  connect(): Promise<TestClient>;
}

export function useProxyFixture(prefix: string): ProxyFixture {
  let server: ToxiproxyServer | undefined;
  let echo: EchoServer | undefined;
  let toxiproxy: Toxiproxy | undefined;
  let proxy: Proxy | undefined;
  let counter = 0;
  const clients: TestClient[] = [];
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`proxy fixture: no ${what} yet (use it inside a test)`);
    return value;
  };

  beforeAll(async () => {
    echo = await startEchoServer();
    server = await startToxiproxyServer({ port: 0 });
    toxiproxy = new Toxiproxy(server.url);
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await proxy?.remove().catch(() => undefined);
    proxy = undefined;
  });
  afterAll(async () => {
    await server?.close();
    await echo?.close();
  });

  return {
    get server() {
      return ready(server, 'server');
    },
    get echo() {
      return ready(echo, 'echo server');
    },
    get toxiproxy() {
      return ready(toxiproxy, 'client');
    },
    get proxy() {
      return ready(proxy, 'proxy');
    },
    async freshProxy(upstream?: string) {
      proxy = await ready(toxiproxy, 'client').createProxy({ name: `${prefix}-${++counter}`, listen: '127.0.0.1:0', upstream: upstream ?? ready(echo, 'echo server').address });
      return proxy;
    },
    async connect() {
      const client = await TestClient.connect(portOf(ready(proxy, 'proxy').listen));
      clients.push(client);
      return client;
    },
  };
}
