// Test fixture, not a test: the `.test.ts` suffix keeps it out of the build
// (tsconfig.lib.json) while vitest only runs `*.spec.ts`.
import {
  Metadata,
  Server,
  ServerCredentials,
  credentials,
  makeGenericClientConstructor,
  type ChannelOptions,
  type Client,
  type ServiceDefinition,
  type ServiceError,
} from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { echoService } from '../../bench/echo.service.js';

/** A one-method service answering with the server's id, so a test sees which endpoint served. */
export const ECHO_SERVICE: ServiceDefinition = echoService('zonemesh.test');

const EchoClientConstructor = makeGenericClientConstructor(ECHO_SERVICE, 'Echo');

export class EchoServer {
  private server: Server | null = null;
  /** When set, calls fail with this gRPC status code (a misbehaving instance whose connection is fine). */
  failWith: number | undefined;
  /** When set, every answer waits this long (a slow instance). */
  delayMs = 0;
  /** Calls this server answered (successfully or not). */
  calls = 0;
  /** grpc.health.v1 Check on the same port answers SERVING while the server runs; checks answered so far. */
  healthChecks = 0;
  /** When set, every health check answers this late (a slow zone as its health checks see it). */
  healthDelayMs = 0;
  /** What the health check answers (the traffic service is not affected). */
  healthStatus: 'SERVING' | 'NOT_SERVING' = 'SERVING';

  private constructor(
    readonly id: string,
    public port: number,
  ) {}

  static async start(id: string, port = 0): Promise<EchoServer> {
    const server = new EchoServer(id, port);
    await server.restart();
    return server;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** (Re)binds on the same port (a fresh one the first time when port is 0). */
  async restart(): Promise<void> {
    if (this.server) throw new Error(`${this.id} is running`);
    const server = new Server();
    server.addService(healthService, {
      check: (_call: unknown, callback: (error: null, value: { status: string }) => void) => {
        this.healthChecks += 1;
        // The server being slow (what the test is about), not a test waiting: like `delayMs` for calls.
        if (this.healthDelayMs > 0) setTimeout(() => callback(null, { status: this.healthStatus }), this.healthDelayMs);
        else callback(null, { status: this.healthStatus });
      },
      watch: (call: { end(): void }) => call.end(),
    });
    server.addService(ECHO_SERVICE, {
      who: (_call: unknown, callback: (error: { code: number; details: string } | null, value?: Buffer) => void) => {
        this.calls += 1;
        const answer = () => {
          if (this.failWith !== undefined) callback({ code: this.failWith, details: `${this.id} is failing` });
          else callback(null, Buffer.from(this.id));
        };
        if (this.delayMs > 0) setTimeout(answer, this.delayMs);
        else answer();
      },
    });
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(this.address, ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
    );
    this.server = server;
  }

  /** Hard stop: connections drop at once, as when an instance dies. */
  stop(): void {
    this.server?.forceShutdown();
    this.server = null;
  }
}

export interface EchoClient {
  /** Resolves with the id of the server that answered; `headers` become call metadata. */
  who(deadlineMs?: number, headers?: Record<string, string>, callOptions?: Record<string, unknown>): Promise<string>;
  readonly client: Client;
  close(): void;
}

/** Options every test channel gets: its own subchannels and quick reconnects. */
export const TEST_CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.use_local_subchannel_pool': 1,
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 500,
};

/** `options` win, except the quick reconnect backoff of TEST_CHANNEL_OPTIONS (zonemeshChannelOptions sets a production cap). */
export function echoClient(target: string, options: ChannelOptions, { keepBackoff = false }: { keepBackoff?: boolean } = {}): EchoClient {
  const merged = keepBackoff ? { ...TEST_CHANNEL_OPTIONS, ...options } : { ...TEST_CHANNEL_OPTIONS, ...options, 'grpc.max_reconnect_backoff_ms': TEST_CHANNEL_OPTIONS['grpc.max_reconnect_backoff_ms'] };
  const client = new EchoClientConstructor(target, credentials.createInsecure(), merged);
  type UnaryMethod = (
    request: Buffer,
    metadata: Metadata,
    options: { deadline: number } & Record<string, unknown>,
    callback: (error: ServiceError | null, value: Buffer) => void,
  ) => void;
  const method = (client as unknown as { who: UnaryMethod }).who.bind(client);
  return {
    client,
    who: (deadlineMs = 3_000, headers: Record<string, string> = {}, callOptions: Record<string, unknown> = {}) =>
      new Promise<string>((resolve, reject) => {
        const metadata = new Metadata();
        for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
        method(Buffer.alloc(0), metadata, { ...callOptions, deadline: Date.now() + deadlineMs }, (error, value) =>
          error ? reject(error) : resolve(value.toString()),
        );
      }),
    close: () => client.close(),
  };
}

/** Counts, per server id, who answered `count` sequential calls. */
export async function tally(echo: EchoClient, count: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < count; i += 1) {
    const id = await echo.who();
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}
