/** Which proxies the dashboards check faults during its load. */
export interface CheckFaults {
  /** Gets a small latency toxic for the whole load (a pricing v2 proxy of the other zone). */
  readonly slowed: string;
  /** Resets every connection that sends to it for a few seconds in the middle (a catalog of the gateway's zone); none = no cut. */
  readonly cut: string | undefined;
  /** Drops every answer it sends back for the same few seconds (the gateway zone's other catalog); none = no stall. */
  readonly stalled: string | undefined;
  readonly loadMs: number;
}

/**
 * Faults during the load, so the chaos and resilience panels have something
 * to show. Returns the undo: every toxic it added removed —
 * a stack that outlives the check (compose) must be left as it was found.
 */
export async function injectFaults(toxiproxyUrl: string, faults: CheckFaults): Promise<() => Promise<void>> {
  const { slowed, cut, stalled, loadMs } = faults;
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${toxiproxyUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(5_000),
    }).then((r) => r.arrayBuffer());
  await call('POST', `/proxies/${slowed}/toxics`, { name: 'check-latency', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 2, jitter: 0 } });
  let timer: NodeJS.Timeout | undefined;
  let restored: Promise<unknown> = Promise.resolve();
  // A reset_peer toxic, not a disabled proxy: disabling closes idle
  // connections cleanly, and when no call happens to be in flight at that
  // instant the caller just reconnects elsewhere: no failed attempt, so no
  // retry for its panel to show. A reset on every request sent in the
  // window fails calls for certain, and they are retried.
  // A reset alone does not make an ejection certain either: the caller's
  // reconnects reach the proxy, turn READY and are reset again, and every
  // READY starts the local-origin failure count over. So the zone's other
  // catalog stalls instead: its connection stays up, its answers are
  // dropped, the calls on it run into their deadline (DEADLINE_EXCEEDED, an
  // outlier failure code), and three in a row eject it (consecutive_errors).
  const windowMs = Math.min(4_000, loadMs / 3);
  const windowed: { proxy: string; name: string; toxic: Record<string, unknown> }[] = [];
  if (cut) windowed.push({ proxy: cut, name: 'check-reset', toxic: { type: 'reset_peer', stream: 'upstream', toxicity: 1, attributes: { timeout: 0 } } });
  if (stalled) windowed.push({ proxy: stalled, name: 'check-stall', toxic: { type: 'timeout', stream: 'downstream', toxicity: 1, attributes: { timeout: 0 } } });
  const removeAll = () => Promise.all(windowed.map((f) => call('DELETE', `/proxies/${f.proxy}/toxics/${f.name}`).catch(() => undefined)));
  if (windowed.length) {
    timer = setTimeout(() => {
      restored = Promise.all(windowed.map((f) => call('POST', `/proxies/${f.proxy}/toxics`, { name: f.name, ...f.toxic })))
        .then(() => new Promise((resolve) => setTimeout(resolve, windowMs)))
        .then(removeAll);
    }, loadMs / 3);
  }
  return async () => {
    clearTimeout(timer);
    await restored.catch(() => undefined);
    await removeAll();
    await call('DELETE', `/proxies/${slowed}/toxics/check-latency`).catch(() => undefined);
  };
}
