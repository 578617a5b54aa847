import { randomBytes } from 'node:crypto';
import { ApplicationsPayload } from './applications-payload.js';
import { CachedPayload } from './cached-payload.js';
import type { InstanceFragments, WireFormat } from './instance-fragments.js';
import type { RegistryStore } from './registry.store.js';
import type { PayloadWriter } from './payload-writer.js';
import type { PayloadSource } from './response-cache.js';

const CONTENT_TYPES: Record<WireFormat, string> = { json: 'application/json', xml: 'application/xml' };

/**
 * What the response cache builds for each cached read — full fetch, delta,
 * one application — and the version that keeps it valid. ETags carry a
 * random id of this process: clients rotate between the registries of a
 * zone, and two registries at the same generation do not hold the same data.
 */
export class PayloadSources {
  private readonly payloads: ApplicationsPayload;
  private readonly processId = randomBytes(4).toString('hex');

  constructor(
    private readonly store: RegistryStore,
    fragments: InstanceFragments,
  ) {
    this.payloads = new ApplicationsPayload(fragments);
  }

  /** `GET /apps`: valid until the next register, cancel or status change. */
  full(format: WireFormat): PayloadSource {
    return {
      version: () => `g${this.store.generation}`,
      build: (version) => {
        const view = this.store.applications();
        return this.payload('apps', format, version, () => this.payloads.applications(view, format));
      },
    };
  }

  /** `GET /apps/delta`: valid until a change is recorded or one leaves the retention window. */
  delta(format: WireFormat): PayloadSource {
    return {
      version: () => `d${this.store.deltaTag()}`,
      build: (version) => {
        const view = this.store.deltas();
        return this.payload('delta', format, version, () => this.payloads.applications(view, format));
      },
    };
  }

  /** `GET /apps/{APP}`; builds undefined (a 404) while the application has no instance. */
  application(name: string, format: WireFormat): PayloadSource {
    return {
      version: () => `g${this.store.generation}`,
      build: (version) => {
        const found = this.store.application(name);
        return found === undefined ? undefined : this.payload('app', format, version, () => this.payloads.singleApplication(found, format));
      },
    };
  }

  /** The body is laid out when first sent, from the instance list of this version. */
  private payload(kind: string, format: WireFormat, version: string, render: () => PayloadWriter): CachedPayload {
    return new CachedPayload(render, CONTENT_TYPES[format], `W/"${this.processId}-${kind}-${format}-${version}"`);
  }
}
