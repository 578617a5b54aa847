import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from './clock.js';
import { acceptsGzip, etagFor, matchesIfNoneMatch, sendEntity, sendNotModified, sendPayload, sendText, wantsJson } from './content-negotiation.js';
import {
  InstanceValidationError,
  type ApplicationsView,
  decodeRegistration,
  encodeApplications,
  encodeInstance,
} from './instance.codec.js';
import type { WireFormat } from './instance-fragments.js';
import { type InstanceInfo, isInstanceStatus } from './instance-info.js';
import type { ReplicationAction } from './replication/replication-action.js';
import type { PayloadSources } from './payload-sources.js';
import type { PayloadSource, ResponseCache } from './response-cache.js';
import type { RegistryStore } from './registry.store.js';
import { type RegistryAdmission, RegistryLimitError } from './registry-limits.js';

/** Something worth a log line: the server prints these, tests ignore them. */
export type RegistryEvent =
  | { readonly kind: 'registered'; readonly instance: InstanceInfo }
  | { readonly kind: 'cancelled'; readonly app: string; readonly id: string };

/** Where client-originated changes go to reach the peers (ReplicationFanOut). */
export interface ReplicationSink {
  replicate(action: ReplicationAction, instance: InstanceInfo): void;
}

export interface RegistryControllerDeps {
  readonly store: RegistryStore;
  readonly clock: Clock;
  readonly onEvent: (event: RegistryEvent) => void;
  readonly replication: ReplicationSink;
  readonly cache: ResponseCache;
  /** How each cached read (full fetch, delta, application) is built from cached instance fragments. */
  readonly payloads: PayloadSources;
  /** False while the start-up sync from a peer runs: registry reads answer 403, like Eureka's shouldAllowAccess. */
  readonly readsAllowed: () => boolean;
  /** What may be stored (registry-limits.ts). */
  readonly admission: RegistryAdmission;
  /** Counts a refused request by reason. */
  readonly onReject: (reason: string) => void;
}

type AppParams = { app: string };
type InstanceParams = { app: string; id: string };
type Query = Record<string, string | string[] | undefined>;

/**
 * `x-netflix-discovery-replication: true` marks a call from a peer registry;
 * the auth hook (registry-auth-hook.ts) decides whether it is believed.
 */
function isReplication(request: FastifyRequest): boolean {
  return request.fromPeer;
}

/** A repeated query parameter arrives as an array: the first one counts, as in JAX-RS. */
function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function optionalNumber(value: string | string[] | undefined): number | undefined {
  const text = first(value);
  return text !== undefined && /^\d{1,16}$/.test(text) ? Number(text) : undefined;
}

function matchesVip(vipAddress: string | undefined, vip: string): boolean {
  return vipAddress !== undefined && vipAddress.split(',').some((entry) => entry.trim() === vip);
}

/**
 * The Eureka REST API (Netflix ApplicationsResource, ApplicationResource,
 * InstanceResource, InstancesResource, VIPResource). Registered once per
 * mount point (`/eureka` and `/eureka/v2`). Changes received from clients
 * are handed to the replication sink; changes received from peers (the
 * replication header) are not, so nothing loops.
 */
export function registryController(deps: RegistryControllerDeps) {
  const { store, clock, onEvent, replication, cache, payloads, admission } = deps;

  /** Runs a limit check; on a breach answers with the limit's status and text and returns false. */
  const admitted = (reply: FastifyReply, check: () => void): boolean => {
    try {
      check();
      return true;
    } catch (error) {
      if (!(error instanceof RegistryLimitError)) throw error;
      deps.onReject(error.reason);
      void sendText(reply, error.statusCode, error.message);
      return false;
    }
  };

  const replicate = (request: FastifyRequest, action: ReplicationAction, instance: InstanceInfo | undefined): void => {
    if (instance !== undefined && !isReplication(request)) replication.replicate(action, instance);
  };

  /** Reads of the registry are closed until the start-up sync ends; peers may always read. */
  const closedForReads = (request: FastifyRequest, reply: FastifyReply): boolean => {
    if (deps.readsAllowed() || isReplication(request)) return false;
    void sendText(reply, 403, 'Registry is synchronising with its peers');
    return true;
  };

  /** A cached read: 304 from the cached ETag alone when the client is up to date, else the cached bytes. */
  const sendCached = async (
    request: FastifyRequest,
    reply: FastifyReply,
    name: string,
    source: (format: WireFormat) => PayloadSource,
  ): Promise<FastifyReply> => {
    const format: WireFormat = wantsJson(request) ? 'json' : 'xml';
    const key = `${name}|${format}`;
    const payloadSource = source(format);
    const known = request.headers['if-none-match'] === undefined ? undefined : cache.peek(key, payloadSource);
    if (known !== undefined) {
      const etag = etagFor(known, acceptsGzip(request));
      if (matchesIfNoneMatch(request, etag)) return sendNotModified(reply, etag);
    }
    const payload = cache.get(key, payloadSource);
    return payload === undefined ? sendText(reply, 404) : sendPayload(request, reply, payload);
  };

  return async function routes(app: FastifyInstance): Promise<void> {
    app.post<{ Params: AppParams }>('/apps/:app', async (request, reply) => {
      let instance: InstanceInfo;
      try {
        instance = decodeRegistration(request.body, request.params.app, clock.now());
      } catch (error) {
        if (error instanceof InstanceValidationError) return sendText(reply, 400, error.message);
        throw error;
      }
      if (!admitted(reply, () => admission.checkRegistration(instance))) return reply;
      const registered = store.register(instance, isReplication(request));
      onEvent({ kind: 'registered', instance: registered });
      replicate(request, 'Register', registered);
      return sendText(reply, 204);
    });

    app.put<{ Params: InstanceParams; Querystring: Query }>('/apps/:app/:id', async (request, reply) => {
      const { app: appName, id } = request.params;
      const overridden = first(request.query.overriddenstatus)?.toUpperCase();
      const result = store.renew(
        appName,
        id,
        {
          lastDirtyTimestamp: optionalNumber(request.query.lastDirtyTimestamp),
          overriddenStatus: isInstanceStatus(overridden) ? overridden : undefined,
        },
        isReplication(request),
      );
      // Eureka replicates every successful renewal, even one answered 404 for a newer client copy.
      if (result.code !== 404 || result.renewed) replicate(request, 'Heartbeat', store.instance(appName, id));
      if (result.code === 409) return sendEntity(request, reply, { instance: encodeInstance(result.instance) }).code(409);
      return sendText(reply, result.code);
    });

    app.delete<{ Params: InstanceParams }>('/apps/:app/:id', async (request, reply) => {
      const { app: appName, id } = request.params;
      const existing = store.instance(appName, id);
      if (existing === undefined || !store.cancel(appName, id)) return sendText(reply, 404);
      onEvent({ kind: 'cancelled', app: appName.toUpperCase(), id });
      replicate(request, 'Cancel', existing);
      return sendText(reply, 200);
    });

    app.put<{ Params: InstanceParams; Querystring: Query }>('/apps/:app/:id/status', async (request, reply) => {
      const { app: appName, id } = request.params;
      const value = first(request.query.value)?.toUpperCase();
      if (store.instance(appName, id) === undefined) return sendText(reply, 404);
      if (!isInstanceStatus(value)) return sendText(reply, 500, `Invalid status value "${first(request.query.value) ?? ''}"`);
      store.setStatusOverride(appName, id, value, optionalNumber(request.query.lastDirtyTimestamp));
      replicate(request, 'StatusUpdate', store.instance(appName, id));
      return sendText(reply, 200);
    });

    app.delete<{ Params: InstanceParams; Querystring: Query }>('/apps/:app/:id/status', async (request, reply) => {
      const { app: appName, id } = request.params;
      const value = first(request.query.value)?.toUpperCase();
      const newStatus = isInstanceStatus(value) ? value : 'UNKNOWN';
      const found = store.removeStatusOverride(appName, id, newStatus, optionalNumber(request.query.lastDirtyTimestamp));
      if (found) replicate(request, 'DeleteStatusOverride', store.instance(appName, id));
      return sendText(reply, found ? 200 : 404);
    });

    app.put<{ Params: InstanceParams; Querystring: Query }>('/apps/:app/:id/metadata', async (request, reply) => {
      const { app: appName, id } = request.params;
      const entries: Record<string, string> = {};
      for (const [key, value] of Object.entries(request.query)) {
        const text = first(value);
        if (text !== undefined) entries[key] = text;
      }
      const existing = store.instance(appName, id);
      if (existing !== undefined && !admitted(reply, () => admission.checkMetadata({ ...existing.metadata, ...entries }))) return reply;
      const found = store.updateMetadata(appName, id, entries);
      // Eureka re-registers the modified instance, which replicates it as a Register.
      if (found) replicate(request, 'Register', store.instance(appName, id));
      return sendText(reply, found ? 200 : 404);
    });

    app.get('/apps', async (request, reply) => {
      if (closedForReads(request, reply)) return reply;
      return sendCached(request, reply, 'apps', (format) => payloads.full(format));
    });

    app.get('/apps/delta', async (request, reply) => {
      if (closedForReads(request, reply)) return reply;
      return sendCached(request, reply, 'delta', (format) => payloads.delta(format));
    });

    app.get<{ Params: AppParams }>('/apps/:app', async (request, reply) => {
      if (closedForReads(request, reply)) return reply;
      const name = request.params.app.toUpperCase();
      return sendCached(request, reply, `app:${name}`, (format) => payloads.application(name, format));
    });

    app.get<{ Params: InstanceParams }>('/apps/:app/:id', async (request, reply) => {
      const found = store.instance(request.params.app, request.params.id);
      if (found === undefined) return sendText(reply, 404);
      return sendEntity(request, reply, { instance: encodeInstance(found) });
    });

    app.get<{ Params: { id: string } }>('/instances/:id', async (request, reply) => {
      const found = store.findInstance(request.params.id);
      if (found === undefined) return sendText(reply, 404);
      return sendEntity(request, reply, { instance: encodeInstance(found) });
    });

    for (const [path, field] of [
      ['/vips/:vip', 'vipAddress'],
      ['/svips/:vip', 'secureVipAddress'],
    ] as const) {
      app.get<{ Params: { vip: string } }>(path, async (request, reply) => {
        if (closedForReads(request, reply)) return reply;
        const all = store.applications();
        const applications = all.applications
          .map((a) => ({ name: a.name, instances: a.instances.filter((i) => matchesVip(i[field], request.params.vip)) }))
          .filter((a) => a.instances.length > 0);
        const view: ApplicationsView = { ...all, applications };
        return sendEntity(request, reply, encodeApplications(view));
      });
    }
  };
}
