import { parseInstanceName } from '@zonemesh/chaos';
import type { FaultBand } from '../wire.js';
import type { MeshSample } from './mesh-sample.js';

/**
 * What is broken right now, in one line, from what the mesh shows (proxies
 * disabled or with toxics, processes down) rather than from who broke it: a
 * fault from the console, a scenario started here or `zonemesh chaos run` in
 * another shell all shade the charts the same way.
 */
export function faultLabel(sample: MeshSample): string | undefined {
  const groups = new Map<string, Map<string, number>>();
  const add = (kind: string, name: string) => {
    const parsed = parseInstanceName(name);
    // A health proxy down is its own kind of fault: the instance still serves, its health port does not.
    const key = parsed ? `${parsed.zone} ${parsed.service}${parsed.version ? `-${parsed.version}` : ''}${parsed.port === 'health' ? ' health' : ''}` : name;
    const kinds = groups.get(kind) ?? new Map<string, number>();
    kinds.set(key, (kinds.get(key) ?? 0) + 1);
    groups.set(kind, kinds);
  };
  for (const [name, proxy] of Object.entries(sample.proxies ?? {})) {
    if (!proxy.enabled) add('down', name);
    for (const toxic of new Set(proxy.toxics)) add(toxic, name);
  }
  for (const [name, state] of Object.entries(sample.processes ?? {})) if (state === 'exited') add('crashed', name);
  if (groups.size === 0) return undefined;
  return [...groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, keys]) => `${kind}: ${[...keys].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => (n > 1 ? `${k} x${n}` : k)).join(', ')}`)
    .join(' · ');
}

/** Keeps the bands of the last `keepMs`: a new band starts whenever what is broken changes. */
export class FaultBands {
  private readonly bands: FaultBand[] = [];

  constructor(private readonly keepMs: number) {}

  observe(t: number, label: string | undefined): void {
    const open = this.bands.at(-1);
    if (open && open.to === undefined && open.label !== label) this.bands[this.bands.length - 1] = { ...open, to: t };
    if (label !== undefined && (open?.to !== undefined || open?.label !== label)) this.bands.push({ from: t, label });
    while (this.bands.length > 0 && this.bands[0]!.to !== undefined && this.bands[0]!.to! < t - this.keepMs) this.bands.shift();
  }

  list(): readonly FaultBand[] {
    return this.bands;
  }
}
