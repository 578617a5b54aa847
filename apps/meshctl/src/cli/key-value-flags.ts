import { MeshError } from '../mesh/mesh-error.js';

/** Repeated `--flag key=value` options as a record; a malformed one is a usage error naming the flag. */
export function keyValueFlags(flag: string, entries: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq <= 0 || eq === entry.length - 1) throw new MeshError(`--${flag}: expected name=URL, got "${entry}"`);
    out[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return out;
}
