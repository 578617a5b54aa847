// Test fixtures: real servers on loopback for the health-check specs.
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createConnection, createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';

/** A grpc-js server with grpc-health-check's HealthImplementation; stop() drops connections at once, restart() rebinds the same port. */
export class GrpcHealthServer {
  readonly health = new HealthImplementation({ '': 'SERVING' });
  private server: Server | undefined;
  port = 0;

  static async start(statuses: Record<string, ServingStatus> = {}): Promise<GrpcHealthServer> {
    const server = new GrpcHealthServer();
    for (const [name, status] of Object.entries(statuses)) server.health.setStatus(name, status);
    await server.restart();
    return server;
  }

  async restart(): Promise<void> {
    const server = new Server();
    this.health.addToServer(server);
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${this.port}`, ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
    );
    this.server = server;
  }

  stop(): void {
    this.server?.forceShutdown();
    this.server = undefined;
  }
}

/** A TCP server that accepts connections and never says a word (a hung host). */
export async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  return listen(server, () => sockets.forEach((s) => s.destroy()));
}

/** Forwards TCP to `port` and counts the connections it accepted (proves connection reuse). */
export async function countingProxy(port: number): Promise<{ port: number; connections: () => number; close(): Promise<void> }> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createTcpServer((client) => {
    connections += 1;
    const upstream = createConnection({ host: '127.0.0.1', port });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  const listening = await listen(server, () => sockets.forEach((s) => s.destroy()));
  return { ...listening, connections: () => connections };
}

/** An HTTP server answering `status` (changeable) and recording what it was asked. */
export async function statusServer(initialStatus = 200): Promise<{
  port: number;
  status: number;
  requests: Array<{ url: string; host: string | undefined }>;
  connections: () => number;
  close(): Promise<void>;
}> {
  let connections = 0;
  const state = { status: initialStatus, requests: [] as Array<{ url: string; host: string | undefined }> };
  const server: HttpServer = createHttpServer((request, response) => {
    state.requests.push({ url: request.url ?? '', host: request.headers.host });
    response.statusCode = state.status;
    response.end('ok');
  });
  server.on('connection', () => (connections += 1));
  const listening = await listen(server, () => server.closeAllConnections());
  return Object.assign(state, { port: listening.port, close: listening.close, connections: () => connections });
}

async function listen(server: TcpServer | HttpServer, dropConnections: () => void): Promise<{ port: number; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      dropConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port nobody listens on (bound then released). */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  const { port, close } = await listen(server, () => undefined);
  await close();
  return port;
}
