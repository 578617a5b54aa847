import type { FastifyInstance } from 'fastify';
import { InstanceValidationError, decodeRegistration, encodeInstance } from '../instance.codec.js';
import { type InstanceStatus, isInstanceStatus } from '../instance-info.js';
import type { RegistryStore } from '../registry.store.js';
import { type RegistryAdmission, RegistryLimitError } from '../registry-limits.js';
import { REPLICATION_ACTIONS, type ReplicationAction, type ReplicationItemResponse } from './replication-action.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function asText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function asTimestamp(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(number) ? number : undefined;
}

function asStatus(value: unknown): InstanceStatus | undefined {
  const text = asText(value)?.toUpperCase();
  return isInstanceStatus(text) ? text : undefined;
}

/** Something the registry should log: an action a peer applied here. */
export type ReplicatedChange = { readonly action: ReplicationAction; readonly app: string; readonly id: string };

/**
 * Applies one replicated action (Eureka PeerReplicationResource.dispatch)
 * and returns its slot of the answer. Replicated actions are final here:
 * nothing is replicated onwards. Malformed items answer 500 (400 for an
 * invalid instance, with Eureka's texts) without affecting their neighbours.
 */
export function applyReplicationItem(
  store: RegistryStore,
  raw: unknown,
  now: number,
  admission?: RegistryAdmission,
): ReplicationItemResponse & { change?: ReplicatedChange; rejected?: string } {
  if (!isObject(raw)) return { statusCode: 500 };
  const action = raw.action as ReplicationAction;
  if (!REPLICATION_ACTIONS.includes(action)) return { statusCode: 500 };
  const info = isObject(raw.instanceInfo) ? raw.instanceInfo : undefined;
  const app = asText(raw.appName) ?? asText(info?.app);
  const id = asText(raw.id) ?? asText(info?.instanceId);
  const lastDirtyTimestamp = asTimestamp(raw.lastDirtyTimestamp);
  if (app === undefined || app === '') return { statusCode: 500 };

  switch (action) {
    case 'Register': {
      if (info === undefined) return { statusCode: 500 };
      try {
        const decoded = decodeRegistration({ instance: info }, app, now);
        admission?.checkRegistration(decoded);
        const registered = store.register(decoded, true);
        return { statusCode: 200, change: { action, app: registered.app, id: registered.instanceId } };
      } catch (error) {
        if (error instanceof InstanceValidationError) return { statusCode: 400 };
        if (error instanceof RegistryLimitError) return { statusCode: error.statusCode, rejected: error.reason };
        throw error;
      }
    }
    case 'Heartbeat': {
      if (id === undefined) return { statusCode: 500 };
      const result = store.renew(app, id, { lastDirtyTimestamp, overriddenStatus: asStatus(raw.overriddenStatus) }, true);
      return result.code === 409 ? { statusCode: 409, responseEntity: encodeInstance(result.instance) } : { statusCode: result.code };
    }
    case 'Cancel': {
      if (id === undefined) return { statusCode: 500 };
      return store.cancel(app, id) ? { statusCode: 200, change: { action, app, id } } : { statusCode: 404 };
    }
    case 'StatusUpdate': {
      const status = asStatus(raw.status);
      if (id === undefined || status === undefined) return { statusCode: 500 };
      return store.setStatusOverride(app, id, status, lastDirtyTimestamp) ? { statusCode: 200, change: { action, app, id } } : { statusCode: 404 };
    }
    case 'DeleteStatusOverride': {
      if (id === undefined) return { statusCode: 500 };
      const found = store.removeStatusOverride(app, id, asStatus(raw.status) ?? 'UNKNOWN', lastDirtyTimestamp);
      return found ? { statusCode: 200, change: { action, app, id } } : { statusCode: 404 };
    }
  }
}

export interface PeerReplicationControllerDeps {
  readonly store: RegistryStore;
  readonly now: () => number;
  readonly onChange: (change: ReplicatedChange) => void;
  /** Limits of batches and of the instances they register. */
  readonly admission: RegistryAdmission;
  readonly onReject: (reason: string) => void;
}

/** `POST /peerreplication/batch/`: answers `{"responseList":[...]}` with one slot per item, in order. */
export function peerReplicationController(deps: PeerReplicationControllerDeps) {
  return async function routes(app: FastifyInstance): Promise<void> {
    // Batches are larger than client bodies: 250 full instances plus headroom.
    app.post('/peerreplication/batch', { bodyLimit: deps.admission.limits.maxBatchBytes }, async (request, reply) => {
      const body = request.body;
      const list = isObject(body) ? body.replicationList : undefined;
      if (!Array.isArray(list) && !isObject(list)) {
        return reply.code(400).type('text/plain; charset=utf-8').send('Expected {"replicationList":[...]}');
      }
      const items = Array.isArray(list) ? list : [list];
      try {
        deps.admission.checkBatchItems(items.length);
      } catch (error) {
        if (!(error instanceof RegistryLimitError)) throw error;
        deps.onReject(error.reason);
        return reply.code(error.statusCode).type('text/plain; charset=utf-8').send(error.message);
      }
      const responseList = items.map((item) => {
        let result: ReturnType<typeof applyReplicationItem>;
        try {
          result = applyReplicationItem(deps.store, item, deps.now(), deps.admission);
        } catch {
          return { statusCode: 500 };
        }
        const { change, rejected, ...slot } = result;
        if (change !== undefined) deps.onChange(change);
        if (rejected !== undefined) deps.onReject(rejected);
        return slot;
      });
      return reply.code(200).type('application/json').send(JSON.stringify({ responseList }));
    });
  };
}
