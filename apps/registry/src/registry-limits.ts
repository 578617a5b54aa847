import type { InstanceInfo } from './instance-info.js';
import type { RegistryStore } from './registry.store.js';

/**
 * Bounds on what clients and peers may store. Eureka has none; without them
 * one client could register instances or metadata until the registry runs
 * out of memory, and every reader pays for the full payload. Defaults are
 * far above real fleets and the 50k-instance bench (100 apps × 500).
 */
export interface RegistryLimits {
  readonly maxInstances: number;
  readonly maxInstancesPerApp: number;
  readonly maxMetadataEntries: number;
  /** Bytes (UTF-8) of one metadata key or value. */
  readonly maxMetadataValueBytes: number;
  /** Characters of an application name or instance id. */
  readonly maxIdLength: number;
  /** Items of one `/peerreplication/batch` (Eureka sends 250). */
  readonly maxBatchItems: number;
  /** Bytes of one `/peerreplication/batch` body. */
  readonly maxBatchBytes: number;
}

export const DEFAULT_REGISTRY_LIMITS: RegistryLimits = {
  maxInstances: 250_000,
  maxInstancesPerApp: 100_000,
  maxMetadataEntries: 128,
  maxMetadataValueBytes: 8 * 1024,
  maxIdLength: 512,
  maxBatchItems: 2_000,
  maxBatchBytes: 16 * 1024 * 1024,
};

/** The environment variable of each limit: the error text names it so an operator knows what to raise. */
export const LIMIT_VARIABLES: Record<keyof RegistryLimits, string> = {
  maxInstances: 'ZONEMESH_REGISTRY_MAX_INSTANCES',
  maxInstancesPerApp: 'ZONEMESH_REGISTRY_MAX_INSTANCES_PER_APP',
  maxMetadataEntries: 'ZONEMESH_REGISTRY_MAX_METADATA_ENTRIES',
  maxMetadataValueBytes: 'ZONEMESH_REGISTRY_MAX_METADATA_VALUE_BYTES',
  maxIdLength: 'ZONEMESH_REGISTRY_MAX_ID_LENGTH',
  maxBatchItems: 'ZONEMESH_REGISTRY_MAX_BATCH_ITEMS',
  maxBatchBytes: 'ZONEMESH_REGISTRY_MAX_BATCH_BYTES',
};

/** The metric label of each limit (`zonemesh_registry_rejected_total{reason}`). */
const REASONS: Record<keyof RegistryLimits, string> = {
  maxInstances: 'instances_total',
  maxInstancesPerApp: 'instances_per_app',
  maxMetadataEntries: 'metadata_entries',
  maxMetadataValueBytes: 'metadata_value_size',
  maxIdLength: 'id_length',
  maxBatchItems: 'replication_batch_items',
  maxBatchBytes: 'replication_batch_size',
};

/** HTTP status of each limit: sizes 413, lengths 400, capacity 429 (a client may retry once instances leave). */
const STATUS: Record<keyof RegistryLimits, 400 | 413 | 429> = {
  maxInstances: 429,
  maxInstancesPerApp: 429,
  maxMetadataEntries: 413,
  maxMetadataValueBytes: 413,
  maxIdLength: 400,
  maxBatchItems: 413,
  maxBatchBytes: 413,
};

/** A request over one limit; `message` names the limit and its variable. */
export class RegistryLimitError extends Error {
  readonly reason: string;
  readonly statusCode: 400 | 413 | 429;

  constructor(readonly limit: keyof RegistryLimits, value: number) {
    super(`registry limit exceeded: ${describeLimit(limit, value)} (${LIMIT_VARIABLES[limit]})`);
    this.reason = REASONS[limit];
    this.statusCode = STATUS[limit];
  }
}

function describeLimit(limit: keyof RegistryLimits, value: number): string {
  switch (limit) {
    case 'maxInstances': return `at most ${value} instances in the registry`;
    case 'maxInstancesPerApp': return `at most ${value} instances per application`;
    case 'maxMetadataEntries': return `at most ${value} metadata entries per instance`;
    case 'maxMetadataValueBytes': return `metadata keys and values of at most ${value} bytes`;
    case 'maxIdLength': return `application names and instance ids of at most ${value} characters`;
    case 'maxBatchItems': return `at most ${value} items per replication batch`;
    case 'maxBatchBytes': return `replication batches of at most ${value} bytes`;
  }
}

/** Limits from the environment over the defaults; a bad value names its variable. */
export function parseRegistryLimits(env: NodeJS.ProcessEnv, defaults: RegistryLimits = DEFAULT_REGISTRY_LIMITS): RegistryLimits {
  const limits: Record<string, number> = { ...defaults };
  for (const [key, variable] of Object.entries(LIMIT_VARIABLES)) {
    const text = env[variable];
    if (text === undefined || text === '') continue;
    if (!/^\d{1,12}$/.test(text) || Number(text) < 1) throw new Error(`${variable}: expected a positive whole number, got "${text}"`);
    limits[key] = Number(text);
  }
  return limits as unknown as RegistryLimits;
}

/** Checks what would be stored against the limits; throws RegistryLimitError. */
export class RegistryAdmission {
  constructor(
    readonly limits: RegistryLimits,
    private readonly store: RegistryStore,
  ) {}

  /** The ids of a request path, before anything is looked up. */
  checkIds(app: string, id?: string): void {
    if (app.length > this.limits.maxIdLength || (id !== undefined && id.length > this.limits.maxIdLength)) {
      throw new RegistryLimitError('maxIdLength', this.limits.maxIdLength);
    }
  }

  /** A registration (client or peer): a new instance counts against the caps; a re-registration does not. */
  checkRegistration(instance: InstanceInfo): void {
    this.checkIds(instance.app, instance.instanceId);
    this.checkMetadata(instance.metadata);
    if (this.store.instance(instance.app, instance.instanceId) !== undefined) return;
    if (this.store.size() >= this.limits.maxInstances) throw new RegistryLimitError('maxInstances', this.limits.maxInstances);
    if (this.store.applicationSize(instance.app) >= this.limits.maxInstancesPerApp) {
      throw new RegistryLimitError('maxInstancesPerApp', this.limits.maxInstancesPerApp);
    }
  }

  checkMetadata(metadata: Readonly<Record<string, string>>): void {
    const keys = Object.keys(metadata);
    if (keys.length > this.limits.maxMetadataEntries) throw new RegistryLimitError('maxMetadataEntries', this.limits.maxMetadataEntries);
    const max = this.limits.maxMetadataValueBytes;
    for (const key of keys) {
      // Characters bound bytes from below (≤ 3 bytes each in UTF-8 for BMP): count bytes only when it may matter.
      const value = metadata[key];
      if ((key.length * 3 > max && Buffer.byteLength(key) > max) || (value.length * 3 > max && Buffer.byteLength(value) > max)) {
        throw new RegistryLimitError('maxMetadataValueBytes', max);
      }
    }
  }

  checkBatchItems(count: number): void {
    if (count > this.limits.maxBatchItems) throw new RegistryLimitError('maxBatchItems', this.limits.maxBatchItems);
  }
}
