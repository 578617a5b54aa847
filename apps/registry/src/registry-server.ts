import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { type Clock, systemClock } from './clock.js';
import { sendText } from './content-negotiation.js';
import { type RegistryEvent, registryController } from './registry.controller.js';
import { type RegistryProfileName, type RegistryTimings, describeTimings, registryTimings } from './registry-profile.js';
import { RegistryStore } from './registry.store.js';
import { registerRegistryMetrics } from './registry.metrics.js';
import { createMetricsRegistry } from '@zonemesh/telemetry';
import { peerReplicationController } from './replication/peer-replication.controller.js';
import { ReplicationFanOut, type ReplicationStats } from './replication/replication-fan-out.js';
import { type PeerSyncOutcome, syncFromPeers } from './replication/peer-sync.js';
import { InstanceFragments } from './instance-fragments.js';
import { PayloadSources } from './payload-sources.js';
import { ResponseCache } from './response-cache.js';
import { decodeXml } from './xml.codec.js';
import { parseJsonSafely } from './safe-json.js';
import { AUTH_OFF, type RegistryAuthConfig, RegistryAuthenticator } from './registry-auth.js';
import { installRegistryAuth } from './registry-auth-hook.js';
import { registryRejectionCounter } from './registry-rejections.js';
import { basicAuthorization, splitUrlCredentials } from '@zonemesh/discovery';
import { HTTP_SERVER_LIMITS, type HttpServerLimits, applyMaxConnections, fastifyServerLimits } from '@zonemesh/runtime/http-server-limits';
import { DEFAULT_REGISTRY_LIMITS, RegistryAdmission, type RegistryLimits } from './registry-limits.js';

/** Options of an in-process registry; everything has a default so tests pass only what they care about. */
export interface RegistryServerOptions {
  readonly zone?: string;
  readonly host?: string;
  /** 0 picks a free port; read it back from the result. */
  readonly port?: number;
  /** Peer Eureka base URLs; one may carry `user:pass@`, sent instead of `auth.peer` to that peer. */
  readonly peers?: readonly string[];
  /** Who may write (and replicate); off by default, as in Eureka. */
  readonly auth?: RegistryAuthConfig;
  /** What clients and peers may store (registry-limits.ts); generous defaults. */
  readonly limits?: RegistryLimits;
  /** Socket timeouts and the connection cap (libs/runtime http-server-limits.ts). */
  readonly httpLimits?: HttpServerLimits;
  readonly profile?: RegistryProfileName;
  /** Overrides single timings of the profile (tests shorten the eviction interval). */
  readonly timings?: Partial<Omit<RegistryTimings, 'profile'>>;
  readonly clock?: Clock;
  /** Receives one human-readable line per registration, cancellation and eviction; silent by default. */
  readonly log?: (line: string) => void;
}

export interface RunningRegistry {
  /** The Eureka base URL clients use, e.g. `http://127.0.0.1:8761/eureka` (`/v2` is served too). */
  readonly url: string;
  readonly port: number;
  readonly zone: string;
  readonly timings: RegistryTimings;
  /** The live state, for tests and admin tooling. */
  readonly store: RegistryStore;
  /** Peer URLs this registry replicates to, without credentials. */
  readonly peers: readonly string[];
  /** Queue length and lag of the replication to each peer, for metrics. */
  replicationStats(): ReplicationStats;
  /** True once reads are served: the start-up sync copied a peer's registry, gave up, or there are no peers. */
  readonly synced: boolean;
  /** Resolves when the start-up sync ends (at once without peers). */
  whenSynced(): Promise<PeerSyncOutcome>;
  close(): Promise<void>;
}

/** The port is taken: callers print the message as is (no stack trace). */
export class RegistryPortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly zone: string,
  ) {
    super(`registry: port ${port} is already in use (${zone})`);
  }
}

function installBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  // Heartbeats from some clients carry a JSON content type and no body: accept that.
  app.addContentTypeParser(/^application\/(.+\+)?json/, { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, parseJsonSafely(text));
    } catch {
      done(Object.assign(new Error('Unparsable request body: invalid JSON'), { statusCode: 400 }), undefined);
    }
  });
  app.addContentTypeParser(/^(application|text)\/xml/, { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, decodeXml(text));
    } catch {
      done(Object.assign(new Error('Unparsable request body: invalid XML'), { statusCode: 400 }), undefined);
    }
  });
}

/**
 * Peer URLs without their `user:pass@` (they reach logs and metrics) and the
 * Authorization header each peer gets: its own URL's credentials, else the
 * shared peer credential.
 */
function peerEndpoints(written: readonly string[], peerCredential: string | undefined) {
  const authorizations = new Map<string, string | undefined>();
  const fallback = peerCredential === undefined ? undefined : basicAuthorization(peerCredential);
  const peers = written.map((text) => {
    const { url, authorization } = splitUrlCredentials(text);
    const bare = url.replace(/\/+$/, '');
    authorizations.set(bare, authorization ?? fallback);
    return bare;
  });
  return { peers, authorizationFor: (peer: string) => authorizations.get(peer) };
}

function describeAuth(auth: RegistryAuthConfig): string {
  if (auth.users.length === 0 && auth.peer === undefined) return 'auth off: anyone may write';
  return `auth on: ${auth.users.length} user(s)${auth.peer === undefined ? '' : ' + peer credential'}, reads ${auth.protectReads ? 'need credentials' : 'open'}`;
}

function describeEvent(zone: string, event: RegistryEvent): string {
  return event.kind === 'registered'
    ? `registry ${zone}: registered ${event.instance.app}/${event.instance.instanceId} (${event.instance.status}, zone ${event.instance.metadata.zone ?? '-'})`
    : `registry ${zone}: cancelled ${event.app}/${event.id}`;
}

/** Starts a Eureka-compatible registry under `/eureka/` and `/eureka/v2/`. */
export async function startRegistryServer(options: RegistryServerOptions = {}): Promise<RunningRegistry> {
  const zone = options.zone ?? 'zone-a';
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? systemClock;
  const log = options.log ?? (() => undefined);
  const timings: RegistryTimings = { ...registryTimings(options.profile ?? 'fast'), ...options.timings };
  const fragments = new InstanceFragments();
  // Every stored instance version is encoded (JSON) once, as it is stored: reads only copy bytes.
  const store = new RegistryStore({ clock, ...timings, onInstanceChanged: (instance) => fragments.of(instance, 'json') });
  const auth = new RegistryAuthenticator(options.auth ?? AUTH_OFF);
  const { peers, authorizationFor } = peerEndpoints(options.peers ?? [], auth.config.peer);
  const replication = new ReplicationFanOut(peers, store, {
    authorizationFor,
    batchSize: timings.replicationBatchSize,
    batchDelayMs: timings.replicationBatchDelayMs,
    timeoutMs: timings.replicationTimeoutMs,
    maxQueue: timings.replicationMaxQueue,
    retryMaxMs: timings.replicationRetryMaxMs,
    now: () => clock.now(),
    log: (line) => log(`registry ${zone}: ${line}`),
  });
  const cache = new ResponseCache({
    readOnlyRefreshMs: timings.responseCacheUpdateIntervalMs,
    autoExpirationMs: timings.responseCacheAutoExpirationMs,
  });
  let synced = peers.length === 0;

  const app = Fastify({
    logger: false,
    // Instance ids (hostname:app:port) can be long; Fastify's default 100-char limit would answer 414.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 1_024 },
    // Eureka clients send large registrations rarely; keep the default body limit but no keep-alive surprises.
    forceCloseConnections: true,
    // Without these a socket that never completes a request is held for good (Fastify's defaults are 0).
    ...fastifyServerLimits(options.httpLimits ?? HTTP_SERVER_LIMITS),
  });
  applyMaxConnections(app.server, options.httpLimits ?? HTTP_SERVER_LIMITS);
  const admission = new RegistryAdmission(options.limits ?? DEFAULT_REGISTRY_LIMITS, store);
  installBodyParsers(app);
  const metrics = createMetricsRegistry({ service: 'registry', zone, instance: `registry-${zone}` });
  const reject = registryRejectionCounter(metrics);
  installRegistryAuth(app, auth, reject);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const code = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' && request.url.includes('/peerreplication')) {
      reject('replication_batch_size');
      return sendText(reply, 413, `registry limit exceeded: replication batches of at most ${admission.limits.maxBatchBytes} bytes (ZONEMESH_REGISTRY_MAX_BATCH_BYTES)`);
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') reject('body_size');
    // Never leak a stack trace to clients; 5xx details go to our log only.
    if (code >= 500) log(`registry ${zone}: internal error: ${error.message}`);
    return sendText(reply, code, code >= 500 ? 'Internal Server Error' : error.message);
  });
  app.setNotFoundHandler((_request, reply) => sendText(reply, 404, 'Not Found'));
  registerRegistryMetrics(metrics, store, () => replication.stats());
  app.get('/metrics', async (_request, reply) =>
    reply.header('content-type', metrics.contentType).send(await metrics.metrics()),
  );

  const routes = registryController({
    store,
    clock,
    onEvent: (event) => log(describeEvent(zone, event)),
    replication,
    cache,
    payloads: new PayloadSources(store, fragments),
    readsAllowed: () => synced,
    admission,
    onReject: reject,
  });
  const replicationRoutes = peerReplicationController({
    store,
    now: () => clock.now(),
    onChange: (change) => log(`registry ${zone}: replicated ${change.action} ${change.app}/${change.id}`),
    admission,
    onReject: reject,
  });
  for (const prefix of ['/eureka', '/eureka/v2']) {
    await app.register(routes, { prefix });
    await app.register(replicationRoutes, { prefix });
  }

  try {
    await app.listen({ host, port: options.port ?? 8761 });
  } catch (error) {
    cache.close();
    await replication.close();
    await app.close().catch(() => undefined);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new RegistryPortInUseError(options.port ?? 8761, zone);
    throw error;
  }

  const eviction = setInterval(() => {
    for (const evicted of store.evict()) log(`registry ${zone}: evicted ${evicted.app}/${evicted.instanceId} (lease expired)`);
  }, timings.evictionIntervalMs);
  eviction.unref();

  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 8761);
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}/eureka`;
  log(`registry ${zone} listening on ${url} (${describeTimings(timings)}; ${describeAuth(auth.config)})`);

  // Listen first (peers may replicate to us meanwhile), then copy a peer's registry before serving reads.
  const syncAbort = new AbortController();
  const syncing: Promise<PeerSyncOutcome> =
    peers.length === 0
      ? Promise.resolve({ peer: undefined, instances: 0, tookMs: 0 })
      : syncFromPeers({
          peers,
          store,
          timeoutMs: timings.peerSyncTimeoutMs,
          retryMs: timings.peerSyncRetryMs,
          requestTimeoutMs: timings.replicationTimeoutMs,
          authorizationFor,
          admission,
          now: () => clock.now(),
          signal: syncAbort.signal,
        }).then((outcome) => {
          synced = true;
          log(
            outcome.peer === undefined
              ? `registry ${zone}: no peer answered within ${timings.peerSyncTimeoutMs / 1000}s; serving reads with ${store.size()} instances`
              : `registry ${zone}: synced ${outcome.instances} instances from ${outcome.peer} in ${outcome.tookMs}ms`,
          );
          return outcome;
        });

  return {
    url,
    port,
    zone,
    timings,
    store,
    peers,
    replicationStats: () => replication.stats(),
    get synced() {
      return synced;
    },
    whenSynced: () => syncing,
    async close() {
      clearInterval(eviction);
      syncAbort.abort();
      cache.close();
      await syncing.catch(() => undefined);
      await replication.close();
      await app.close();
    },
  };
}
