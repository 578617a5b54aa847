/**
 * Reads single-series gauges out of a Prometheus text exposition: the first
 * sample of each name asked for, with or without labels (every zonemesh
 * process labels all its series with service, zone and instance). Comments
 * and other names are skipped; `nodejs_active_handles{type=...}` is a
 * different name from `nodejs_active_handles_total`.
 */
export function readPromGauges(text: string, names: readonly string[]): Record<string, number> {
  const wanted = new Set(names);
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)/.exec(line);
    if (!match || !wanted.has(match[1]!) || match[1]! in out) continue;
    const value = Number(match[3]);
    if (Number.isFinite(value)) out[match[1]!] = value;
  }
  return out;
}
