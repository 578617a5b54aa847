import {
  AMAZON_DATA_CENTER_CLASS,
  DEFAULT_DATA_CENTER_CLASS,
  DEFAULT_LEASE_DURATION_SECS,
  DEFAULT_RENEWAL_INTERVAL_SECS,
  type DataCenterInfo,
  type InstanceInfo,
  type InstanceStatus,
  type PortInfo,
  INSTANCE_STATUSES,
} from './instance-info.js';
import { Interner } from './interner.js';

/** A register body that must be answered 400 with exactly this text (Eureka's messages). */
export class InstanceValidationError extends Error {}

type Json = Record<string, unknown>;

const EMPTY_MAP_MARKER = 'java.util.Collections$EmptyMap';

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Jackson beans send native numbers and booleans, the Eureka codec sends strings: take both. */
function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

function asStatus(value: unknown, fallback: InstanceStatus): InstanceStatus {
  const text = asString(value)?.toUpperCase();
  if (text === undefined) return fallback;
  // Eureka's InstanceStatus.toEnum maps anything unknown to UNKNOWN. The constant, not the parsed copy, is kept.
  return INSTANCE_STATUSES.find((status) => status === text) ?? 'UNKNOWN';
}

/**
 * Values most instances share (app, zone and data-center names, ports,
 * metadata maps, VIPs) are kept once for the whole registry: a compact
 * record per instance is what lets 50k instances fit in a few hundred MB.
 */
const shared = {
  strings: new Interner<string>(),
  ports: new Interner<PortInfo>(1_000),
  dataCenters: new Interner<DataCenterInfo>(1_000),
  metadata: new Interner<Readonly<Record<string, string>>>(),
};

function sharedString<S extends string | undefined>(value: S): S {
  return value === undefined ? value : (shared.strings.get(value, () => value) as S);
}

/** Metadata maps with more entries than this are per-instance anyway: not worth a table key. */
const MAX_SHARED_METADATA_KEYS = 16;

function asPort(value: unknown, defaultPort: number, defaultEnabled: boolean): PortInfo {
  const plain = asNumber(value);
  const port = plain ?? (isObject(value) ? (asNumber(value.$) ?? asNumber(value.port) ?? defaultPort) : defaultPort);
  const enabled =
    plain === undefined && isObject(value) ? (asBoolean(value['@enabled']) ?? asBoolean(value.enabled) ?? defaultEnabled) : defaultEnabled;
  return shared.ports.get(`${port}:${enabled}`, () => Object.freeze({ port, enabled }));
}

function sharedMetadata(map: Record<string, string>): Readonly<Record<string, string>> {
  const keys = Object.keys(map);
  if (keys.length > MAX_SHARED_METADATA_KEYS) return Object.freeze(map);
  return shared.metadata.get(JSON.stringify(map), () => {
    for (const key of keys) map[key] = sharedString(map[key]);
    return Object.freeze(map);
  });
}

function asStringMap(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!isObject(value)) return result;
  for (const [key, raw] of Object.entries(value)) {
    if (key === '@class') continue; // Jackson's type marker, not a metadata entry
    const text = asString(raw);
    if (text !== undefined) result[key] = text;
  }
  return result;
}

function nonBlank(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/**
 * Real Eureka rejects a dataCenterInfo without `@class`; we accept it and
 * derive the class from the name, because hand-written clients omit it.
 */
function decodeDataCenterInfo(value: unknown): DataCenterInfo | undefined {
  if (!isObject(value)) return undefined;
  const name = asString(value.name) ?? '';
  const isAmazon = name.toLowerCase() === 'amazon';
  const className = asString(value['@class']) ?? asString(value.class) ?? (isAmazon ? AMAZON_DATA_CENTER_CLASS : DEFAULT_DATA_CENTER_CLASS);
  if (isAmazon || isObject(value.metadata)) return { className, name, metadata: sharedMetadata(asStringMap(value.metadata)) };
  return shared.dataCenters.get(`${className}\u0000${name}`, () => Object.freeze({ className, name }));
}

/**
 * Turns a register body (`{"instance":{...}}`, JSON or parsed XML) into an
 * InstanceInfo, validating in Eureka's order so the 400 texts match.
 * `pathApp` is the `{APP}` of the URL; server-owned fields (lease
 * timestamps, lastUpdatedTimestamp, actionType) are filled by the store.
 */
export function decodeRegistration(body: unknown, pathApp: string, now: number): InstanceInfo {
  const raw = isObject(body) ? body.instance : undefined;
  // An array holding one instance is accepted too (arrays-or-objects leniency).
  const source = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
  if (!isObject(source)) throw new InstanceValidationError('Unparsable request body: expected {"instance":{...}}');

  const hostName = asString(source.hostName);
  const dataCenterInfo = decodeDataCenterInfo(source.dataCenterInfo);
  const instanceId =
    [asString(source.instanceId), dataCenterInfo?.metadata?.['instance-id'], hostName].find(nonBlank) ?? undefined;
  const ipAddr = asString(source.ipAddr);
  const app = sharedString(asString(source.app)?.toUpperCase());
  const expectedApp = pathApp.toUpperCase();

  if (!nonBlank(instanceId)) throw new InstanceValidationError('Missing instanceId');
  if (!nonBlank(hostName)) throw new InstanceValidationError('Missing hostname');
  if (!nonBlank(ipAddr)) throw new InstanceValidationError('Missing ip address');
  if (!nonBlank(app)) throw new InstanceValidationError('Missing appName');
  if (app !== expectedApp) {
    throw new InstanceValidationError(`Mismatched appName, expecting ${expectedApp} but was ${app}`);
  }
  if (dataCenterInfo === undefined) throw new InstanceValidationError('Missing dataCenterInfo');
  if (!nonBlank(dataCenterInfo.name)) throw new InstanceValidationError('Missing dataCenterInfo Name');

  const lease = isObject(source.leaseInfo) ? source.leaseInfo : {};
  const duration = asNumber(lease.durationInSecs) ?? 0;
  const renewal = asNumber(lease.renewalIntervalInSecs) ?? 0;

  return {
    instanceId,
    hostName,
    app,
    ipAddr,
    sid: sharedString(asString(source.sid) ?? 'na'),
    status: asStatus(source.status, 'UP'),
    overriddenStatus: asStatus(source.overriddenStatus ?? source.overriddenstatus, 'UNKNOWN'),
    // Netflix InstanceInfo.Builder defaults: 7001 enabled, 7002 disabled.
    port: asPort(source.port, 7001, true),
    securePort: asPort(source.securePort, 7002, false),
    countryId: asNumber(source.countryId) ?? 1,
    dataCenterInfo,
    leaseInfo: {
      renewalIntervalInSecs: renewal > 0 ? renewal : DEFAULT_RENEWAL_INTERVAL_SECS,
      durationInSecs: duration > 0 ? duration : DEFAULT_LEASE_DURATION_SECS,
      registrationTimestamp: 0,
      lastRenewalTimestamp: 0,
      evictionTimestamp: 0,
      serviceUpTimestamp: 0,
    },
    metadata: sharedMetadata(asStringMap(source.metadata)),
    appGroupName: sharedString(asString(source.appGroupName)?.toUpperCase()),
    homePageUrl: asString(source.homePageUrl),
    statusPageUrl: asString(source.statusPageUrl),
    healthCheckUrl: asString(source.healthCheckUrl),
    secureHealthCheckUrl: asString(source.secureHealthCheckUrl),
    vipAddress: sharedString(asString(source.vipAddress)),
    secureVipAddress: sharedString(asString(source.secureVipAddress)),
    isCoordinatingDiscoveryServer: asBoolean(source.isCoordinatingDiscoveryServer) ?? false,
    lastUpdatedTimestamp: now,
    lastDirtyTimestamp: asNumber(source.lastDirtyTimestamp) ?? now,
    // Declared (unset) here so the store's copies, which set it, keep this object's shape: adding
    // a property to a spread copy made V8 keep each stored instance in ~1.3 kB instead of ~0.6 kB.
    actionType: undefined,
    asgName: sharedString(asString(source.asgName)),
  };
}

function encodePort(port: PortInfo): Json {
  return { $: port.port, '@enabled': String(port.enabled) };
}

function encodeDataCenterInfo(info: DataCenterInfo): Json {
  const out: Json = { '@class': info.className, name: info.name };
  if (info.metadata !== undefined) out.metadata = info.metadata;
  return out;
}

function encodeMetadata(metadata: Readonly<Record<string, string>>): Json {
  return Object.keys(metadata).length === 0 ? { '@class': EMPTY_MAP_MARKER } : { ...metadata };
}

/** Sets a key only when the value exists: Jackson skips nulls. */
function put(out: Json, key: string, value: unknown): void {
  if (value !== undefined && value !== null) out[key] = value;
}

/** One instance in the Jackson codec's exact field order and types (see fixtures/eureka). */
export function encodeInstance(instance: InstanceInfo): Json {
  const out: Json = {
    instanceId: instance.instanceId,
    hostName: instance.hostName,
    app: instance.app,
    ipAddr: instance.ipAddr,
  };
  if (instance.sid !== 'na') out.sid = instance.sid;
  out.status = instance.status;
  out.overriddenStatus = instance.overriddenStatus;
  out.port = encodePort(instance.port);
  out.securePort = encodePort(instance.securePort);
  out.countryId = instance.countryId;
  out.dataCenterInfo = encodeDataCenterInfo(instance.dataCenterInfo);
  const lease = instance.leaseInfo;
  out.leaseInfo = {
    renewalIntervalInSecs: lease.renewalIntervalInSecs,
    durationInSecs: lease.durationInSecs,
    registrationTimestamp: lease.registrationTimestamp,
    lastRenewalTimestamp: lease.lastRenewalTimestamp,
    evictionTimestamp: lease.evictionTimestamp,
    serviceUpTimestamp: lease.serviceUpTimestamp,
  };
  out.metadata = encodeMetadata(instance.metadata);
  put(out, 'appGroupName', instance.appGroupName);
  put(out, 'homePageUrl', instance.homePageUrl);
  put(out, 'statusPageUrl', instance.statusPageUrl);
  put(out, 'healthCheckUrl', instance.healthCheckUrl);
  put(out, 'secureHealthCheckUrl', instance.secureHealthCheckUrl);
  put(out, 'vipAddress', instance.vipAddress);
  put(out, 'secureVipAddress', instance.secureVipAddress);
  out.isCoordinatingDiscoveryServer = String(instance.isCoordinatingDiscoveryServer);
  out.lastUpdatedTimestamp = String(instance.lastUpdatedTimestamp);
  out.lastDirtyTimestamp = String(instance.lastDirtyTimestamp);
  put(out, 'actionType', instance.actionType);
  put(out, 'asgName', instance.asgName);
  return out;
}

/** An application as Eureka groups it: name plus instances, always an array. */
export interface ApplicationView {
  readonly name: string;
  readonly instances: readonly InstanceInfo[];
}

export function encodeApplication(app: ApplicationView): Json {
  return { name: app.name, instance: app.instances.map(encodeInstance) };
}

export interface ApplicationsView {
  readonly versionsDelta: number;
  readonly appsHashcode: string;
  readonly applications: readonly ApplicationView[];
}

export function encodeApplications(view: ApplicationsView): Json {
  return {
    applications: {
      versions__delta: String(view.versionsDelta),
      apps__hashcode: view.appsHashcode,
      application: view.applications.map(encodeApplication),
    },
  };
}
