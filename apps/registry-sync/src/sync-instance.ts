import { ConfigError, childPath, optional, readArray, readObject, readPort, readString } from '@zonemesh/config';

/** One instance the syncer keeps registered on its behalf. */
export interface SyncInstance {
  /** Eureka app name, upper-cased (Eureka's own rule). */
  readonly app: string;
  readonly instanceId: string;
  readonly host: string;
  readonly port: number;
  readonly zone: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** `APP/instanceId`: how the syncer tells instances apart (Eureka ids are unique per app). */
export function instanceKey(instance: Pick<SyncInstance, 'app' | 'instanceId'>): string {
  return `${instance.app.toUpperCase()}/${instance.instanceId}`;
}

/** Equal instances register the same body: a change of any field is a re-register. */
export function sameInstance(a: SyncInstance, b: SyncInstance): boolean {
  return fingerprint(a) === fingerprint(b);
}

function fingerprint(instance: SyncInstance): string {
  const metadata = Object.keys(instance.metadata)
    .sort()
    .map((k) => [k, instance.metadata[k]]);
  return JSON.stringify([instance.app, instance.instanceId, instance.host, instance.port, instance.zone, metadata]);
}

/** Rejects a list that names one instance twice: which copy is right cannot be guessed. */
export function findDuplicate(instances: readonly SyncInstance[]): string | undefined {
  const seen = new Set<string>();
  for (const instance of instances) {
    const key = instanceKey(instance);
    if (seen.has(key)) return key;
    seen.add(key);
  }
  return undefined;
}

/**
 * The static source's document: `instances: [{app, id, host, port, zone, metadata}]`,
 * validated with path-qualified errors (`instances[2].port: expected a whole number...`).
 */
export function parseInstanceList(document: unknown, defaultZone: string | undefined): SyncInstance[] {
  const root = readObject(document, '', ['instances']);
  const list = readArray(root.instances ?? [], 'instances');
  return list.map((item, index) => parseInstance(item, childPath('instances', index), defaultZone));
}

function parseInstance(value: unknown, path: string, defaultZone: string | undefined): SyncInstance {
  const node = readObject(value, path, ['app', 'id', 'host', 'port', 'zone', 'metadata']);
  const at = (key: string): string => childPath(path, key);
  const host = readString(node.host, at('host'));
  const port = readPort(node.port, at('port'));
  if (port === 0) throw new ConfigError(at('port'), 'must be between 1 and 65535, got 0');
  const zone = optional(node.zone, defaultZone, (v) => readString(v, at('zone')));
  if (zone === undefined) throw new ConfigError(at('zone'), 'expected a zone (no default zone is configured)');
  const metadataNode = optional(node.metadata, {}, (v) => readObject(v, at('metadata'), v !== null && typeof v === 'object' ? Object.keys(v) : []));
  const metadata: Record<string, string> = {};
  for (const [key, raw] of Object.entries(metadataNode)) {
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') throw new ConfigError(childPath(at('metadata'), key), 'expected a string');
    metadata[key] = String(raw);
  }
  const app = readString(node.app, at('app')).toUpperCase();
  return {
    app,
    instanceId: optional(node.id, `${app.toLowerCase()}-${zone}-${host}:${port}`, (v) => readString(v, at('id'))),
    host,
    port,
    zone,
    metadata,
  };
}
