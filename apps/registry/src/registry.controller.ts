import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from './clock.js';
import { sendEntity, sendText } from './content-negotiation.js';
import {
  InstanceValidationError,
  decodeRegistration,
  encodeApplication,
  encodeApplications,
  encodeInstance,
} from './instance.codec.js';
import { type InstanceInfo, isInstanceStatus } from './instance-info.js';
import type { RegistryStore } from './registry.store.js';

/** Something worth a log line: the server prints these, tests ignore them. */
export type RegistryEvent =
  | { readonly kind: 'registered'; readonly instance: InstanceInfo }
  | { readonly kind: 'cancelled'; readonly app: string; readonly id: string };

export interface RegistryControllerDeps {
  readonly store: RegistryStore;
  readonly clock: Clock;
  readonly onEvent: (event: RegistryEvent) => void;
}

type AppParams = { app: string };
type InstanceParams = { app: string; id: string };
type Query = Record<string, string | undefined>;

/** `x-netflix-discovery-replication: true` marks a call from a peer registry. */
function isReplication(request: FastifyRequest): boolean {
  return String(request.headers['x-netflix-discovery-replication']).toLowerCase() === 'true';
}

function optionalNumber(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

function matchesVip(vipAddress: string | undefined, vip: string): boolean {
  return vipAddress !== undefined && vipAddress.split(',').some((entry) => entry.trim() === vip);
}

/**
 * The Eureka REST API (Netflix ApplicationsResource, ApplicationResource,
 * InstanceResource, InstancesResource, VIPResource). Registered once per
 * mount point (`/eureka` and `/eureka/v2`).
 */
export function registryController(deps: RegistryControllerDeps) {
  const { store, clock, onEvent } = deps;

  return async function routes(app: FastifyInstance): Promise<void> {
    app.post<{ Params: AppParams }>('/apps/:app', async (request, reply) => {
      let instance: InstanceInfo;
      try {
        instance = decodeRegistration(request.body, request.params.app, clock.now());
      } catch (error) {
        if (error instanceof InstanceValidationError) return sendText(reply, 400, error.message);
        throw error;
      }
      onEvent({ kind: 'registered', instance: store.register(instance, isReplication(request)) });
      return sendText(reply, 204);
    });

    app.put<{ Params: InstanceParams; Querystring: Query }>('/apps/:app/:id', async (request, reply) => {
      const { app: appName, id } = request.params;
      const overridden = request.query.overriddenstatus?.toUpperCase();
      const result = store.renew(
        appName,
        id,
        {
          lastDirtyTimestamp: optionalNumber(request.query.lastDirtyTimestamp),
          overriddenStatus: isInstanceStatus(overridden) ? overridden : undefined,
        },
        isReplication(request),
      );
      if (result.code === 409) return sendEntity(request, reply, { instance: encodeInstance(result.instance) }).code(409);
      return sendText(reply, result.code);
    });

    app.delete<{ Params: InstanceParams }>('/apps/:app/:id', async (request, reply) => {
      const { app: appName, id } = request.params;
      if (!store.cancel(appName, id)) return sendText(reply, 404);
      onEvent({ kind: 'cancelled', app: appName.toUpperCase(), id });
      return sendText(reply, 200);
    });

    app.put<{ Params: InstanceParams; Querystring: Query }>('/apps/:app/:id/status', async (request, reply) => {
      const value = request.query.value?.toUpperCase();
      if (store.instance(request.params.app, request.params.id) === undefined) return sendText(reply, 404);
      if (!isInstanceStatus(value)) return sendText(reply, 500, `Invalid status value "${request.query.value ?? ''}"`);
      store.setStatusOverride(request.params.app, request.params.id, value);
      return sendText(reply, 200);
    });

    app.delete<{ Params: InstanceParams; Querystring: Query }>('/apps/:app/:id/status', async (request, reply) => {
      const value = request.query.value?.toUpperCase();
      const newStatus = isInstanceStatus(value) ? value : 'UNKNOWN';
      const found = store.removeStatusOverride(request.params.app, request.params.id, newStatus);
      return sendText(reply, found ? 200 : 404);
    });

    app.put<{ Params: InstanceParams; Querystring: Query }>('/apps/:app/:id/metadata', async (request, reply) => {
      const entries: Record<string, string> = {};
      for (const [key, value] of Object.entries(request.query)) if (value !== undefined) entries[key] = String(value);
      const found = store.updateMetadata(request.params.app, request.params.id, entries);
      return sendText(reply, found ? 200 : 404);
    });

    app.get('/apps', async (request, reply) => sendEntity(request, reply, encodeApplications(store.applications())));

    app.get('/apps/delta', async (request, reply) => sendEntity(request, reply, encodeApplications(store.deltas())));

    app.get<{ Params: AppParams }>('/apps/:app', async (request, reply) => {
      const found = store.application(request.params.app);
      if (found === undefined) return sendText(reply, 404);
      return sendEntity(request, reply, { application: encodeApplication(found) });
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
        const all = store.applications();
        const applications = all.applications
          .map((a) => ({ name: a.name, instances: a.instances.filter((i) => matchesVip(i[field], request.params.vip)) }))
          .filter((a) => a.instances.length > 0);
        return sendEntity(request, reply, encodeApplications({ ...all, applications }));
      });
    }
  };
}
