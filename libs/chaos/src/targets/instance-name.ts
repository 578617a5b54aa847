/** The parts of a proxy or instance name as the contract spells them. */
export interface InstanceName {
  readonly name: string;
  /** catalog, pricing, inventory, registry, ... */
  readonly service: string;
  readonly version?: string;
  readonly zone: string;
  readonly index?: number;
  /** `health` for the proxy of an instance's separate health port (`inventory-zone-a-1-health`). */
  readonly port?: 'health';
  /** The instance a health proxy belongs to (`inventory-zone-a-1`); the name itself otherwise. */
  readonly instance: string;
}

/** The suffix of a separate health port's proxy: `<service>-<zone>-<n>-health`. */
export const HEALTH_PROXY_SUFFIX = '-health';

const INSTANCE = /^([a-z][a-z0-9]*)(?:-(v\d+))?-(.+)-(\d+)$/;
const REGISTRY = /^registry-(.+)$/;

/**
 * Splits `pricing-v2-zone-b-1` into service, version, zone and index, and
 * `registry-zone-a` into the registry of zone-a, `inventory-zone-a-1-health`
 * into the health port of inventory-zone-a-1; undefined for other names.
 */
export function parseInstanceName(name: string): InstanceName | undefined {
  const registry = REGISTRY.exec(name);
  if (registry) return { name, instance: name, service: 'registry', zone: registry[1]! };
  const health = name.endsWith(HEALTH_PROXY_SUFFIX);
  const instance = health ? name.slice(0, -HEALTH_PROXY_SUFFIX.length) : name;
  const m = INSTANCE.exec(instance);
  if (!m) return undefined;
  return { name, instance, service: m[1]!, ...(m[2] ? { version: m[2] } : {}), zone: m[3]!, index: Number(m[4]), ...(health ? { port: 'health' as const } : {}) };
}

/**
 * The zone of the instance that served a hop, from a `servedBy` entry:
 * `catalog-zone-b-1` -> `zone-b`. Unparseable ids yield undefined.
 */
export function zoneOfInstance(instanceId: string): string | undefined {
  return parseInstanceName(instanceId)?.zone;
}
