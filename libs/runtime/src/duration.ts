const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

/**
 * Parses a duration like `250ms`, `10s`, `1.5m` or `1h` into milliseconds.
 * A unit is required: a bare `30` is ambiguous between seconds and millis.
 * `path` names the setting in the error, e.g. `ZONEMESH_RENEW_INTERVAL`.
 */
export function parseDuration(text: string, path = 'duration'): number {
  const match = DURATION.exec(text.trim());
  if (!match) {
    throw new Error(`${path}: expected a duration like "10s", "250ms" or "1m", got ${JSON.stringify(text)}`);
  }
  const ms = Number(match[1]) * UNIT_MS[match[2]];
  if (ms <= 0) {
    throw new Error(`${path}: expected a duration greater than zero, got ${JSON.stringify(text)}`);
  }
  return Math.round(ms);
}
