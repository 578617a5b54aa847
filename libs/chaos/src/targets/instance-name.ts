/** The parts of a proxy or instance name as the contract spells them. */
export interface InstanceName {
  readonly name: string;
  /** catalog, pricing, inventory, registry, ... */
  readonly service: string;
  readonly version?: string;
  readonly zone: string;
  readonly index?: number;
}

const INSTANCE = /^([a-z][a-z0-9]*)(?:-(v\d+))?-(.+)-(\d+)$/;
const REGISTRY = /^registry-(.+)$/;

/**
 * Splits `pricing-v2-zone-b-1` into service, version, zone and index, and
 * `registry-zone-a` into the registry of zone-a; undefined for other names.
 */
export function parseInstanceName(name: string): InstanceName | undefined {
  const registry = REGISTRY.exec(name);
  if (registry) return { name, service: 'registry', zone: registry[1]! };
  const m = INSTANCE.exec(name);
  if (!m) return undefined;
  return { name, service: m[1]!, ...(m[2] ? { version: m[2] } : {}), zone: m[3]!, index: Number(m[4]) };
}

/**
 * The zone of the instance that served a hop, from a `servedBy` entry:
 * `catalog-zone-b-1` -> `zone-b`. Unparseable ids yield undefined.
 */
export function zoneOfInstance(instanceId: string): string | undefined {
  return parseInstanceName(instanceId)?.zone;
}
