import { eurekaInstanceBody } from '@zonemesh/discovery';
import type { HttpBalancer, HttpBalancerResponse } from '@zonemesh/lb/http';
import type { SyncInstance } from '../sync-instance.js';

/** Metadata key marking registrations a syncer owns; its value is the syncer id. */
export const SYNCED_BY_KEY = 'zonemesh.synced-by';

/** A registration the registry holds for some syncer. */
export interface OwnedRegistration {
  readonly app: string;
  readonly instanceId: string;
}

export interface LeaseSettings {
  readonly renewalIntervalMs: number;
  readonly leaseDurationSecs: number;
}

/** How a heartbeat ended: renewed, or the registry had no lease (it must be registered again). */
export type HeartbeatOutcome = 'renewed' | 'unknown';

const JSON_HEADERS = { accept: 'application/json', 'content-type': 'application/json' };

/**
 * The Eureka calls the syncer makes, sent through libs/lb's HTTP balancer so
 * they go to the preferred zone's registry and fail over (and back, after the
 * failed-instance TTL) like every other zonemesh caller. All of them are
 * idempotent: a register POST replaces the same instance, so it may be
 * resent to the next registry after a timeout.
 */
export class EurekaRegistrar {
  constructor(
    private readonly http: HttpBalancer,
    /** `/eureka` — the path every configured server serves the API under. */
    private readonly basePath: string,
    private readonly syncerId: string,
    private readonly lease: LeaseSettings,
    /** `Basic ...` for registries that want credentials on writes (and reads). */
    private readonly authorization?: string,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return this.authorization ? { ...extra, authorization: this.authorization } : extra;
  }

  async register(instance: SyncInstance): Promise<HttpBalancerResponse> {
    const body = eurekaInstanceBody(
      {
        app: instance.app,
        instanceId: instance.instanceId,
        host: instance.host,
        port: instance.port,
        zone: instance.zone,
        metadata: { ...instance.metadata, [SYNCED_BY_KEY]: this.syncerId },
        leaseDurationSecs: this.lease.leaseDurationSecs,
        renewalIntervalMs: this.lease.renewalIntervalMs,
      },
      Date.now(),
    );
    const response = await this.http.request(`${this.basePath}/apps/${encodeURIComponent(instance.app)}`, {
      method: 'POST',
      headers: this.headers(JSON_HEADERS),
      body: JSON.stringify(body),
      idempotent: true,
    });
    expectStatus(response, [204, 200], `register ${instance.app}/${instance.instanceId}`);
    return response;
  }

  async heartbeat(instance: SyncInstance): Promise<HeartbeatOutcome> {
    const response = await this.http.request(this.instancePath(instance), { method: 'PUT', headers: this.headers() });
    if (response.status === 404) return 'unknown';
    expectStatus(response, [200], `heartbeat ${instance.app}/${instance.instanceId}`);
    return 'renewed';
  }

  /** True when the registry knew the instance; an unknown one is already gone, which is what we wanted. */
  async unregister(registration: OwnedRegistration): Promise<boolean> {
    const response = await this.http.request(this.instancePath(registration), { method: 'DELETE', headers: this.headers() });
    if (response.status === 404) return false;
    expectStatus(response, [200], `unregister ${registration.app}/${registration.instanceId}`);
    return true;
  }

  /** Registrations marked as owned by this syncer, from a full `GET /apps`. */
  async ownedRegistrations(): Promise<OwnedRegistration[]> {
    const response = await this.http.request(`${this.basePath}/apps`, { headers: this.headers({ accept: 'application/json' }) });
    expectStatus(response, [200], 'fetch the registry');
    const owned: OwnedRegistration[] = [];
    const applications = (JSON.parse(response.body) as { applications?: { application?: unknown } }).applications;
    for (const application of asArray(applications?.application)) {
      for (const instance of asArray((application as { instance?: unknown }).instance)) {
        const info = instance as { app?: unknown; instanceId?: unknown; metadata?: Record<string, unknown> };
        if (info.metadata?.[SYNCED_BY_KEY] === this.syncerId && typeof info.app === 'string' && typeof info.instanceId === 'string') {
          owned.push({ app: info.app, instanceId: info.instanceId });
        }
      }
    }
    return owned;
  }

  private instancePath(instance: OwnedRegistration): string {
    return `${this.basePath}/apps/${encodeURIComponent(instance.app)}/${encodeURIComponent(instance.instanceId)}`;
  }
}

function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

function expectStatus(response: HttpBalancerResponse, expected: readonly number[], what: string): void {
  if (!expected.includes(response.status)) {
    throw new Error(`${what}: registry ${response.endpoint.id} answered ${response.status} ${response.body.slice(0, 120)}`);
  }
}
