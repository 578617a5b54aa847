/** One request of the load, as the journal keeps it. */
export interface RequestRecord {
  /** When it was due, in ms since the load started (open loop: the schedule, not the send). */
  readonly t: number;
  /** From due time to the end of the answer (or the failure), so client queueing counts. */
  readonly latencyMs: number;
  /** HTTP status; 0 when no answer came (connect error, reset, timeout). */
  readonly status: number;
  /** Why it failed without a status, e.g. `ECONNRESET` or `timeout`. */
  readonly error?: string;
  /** The instance id per hop from the answer's `servedBy`, e.g. `{catalog: 'catalog-zone-b-1', ...}`. */
  readonly servedBy?: Readonly<Record<string, string>>;
  /** Index of the request shape of the load mix. */
  readonly shape: number;
}

export function isError(record: RequestRecord): boolean {
  return record.status < 200 || record.status >= 400;
}

/** Reads `servedBy` from an answer body; tolerates `{catalog: {id: ...}}` as well as plain ids. */
export function readServedBy(body: unknown): Record<string, string> | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const served = (body as { servedBy?: unknown }).servedBy;
  if (!served || typeof served !== 'object') return undefined;
  const out: Record<string, string> = {};
  for (const [hop, value] of Object.entries(served as Record<string, unknown>)) {
    if (typeof value === 'string') out[hop] = value;
    else if (value && typeof value === 'object') {
      const id = (value as { id?: unknown; instance?: unknown; instanceId?: unknown }).id ?? (value as { instanceId?: unknown }).instanceId ?? (value as { instance?: unknown }).instance;
      if (typeof id === 'string') out[hop] = id;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
