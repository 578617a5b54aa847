/** Which proxies the dashboards check faults during its load. */
export interface CheckFaults {
  /** Gets a small latency toxic for the whole load (a pricing v2 proxy of the other zone). */
  readonly slowed: string;
  /** Resets every connection that sends to it for a few seconds in the middle (a catalog of the gateway's zone); none = no cut. */
  readonly cut: string | undefined;
  readonly loadMs: number;
}

/**
 * Faults during the load, so the chaos and resilience panels have something
 * to show. Returns the undo: the toxic removed and the cut proxy enabled —
 * a stack that outlives the check (compose) must be left as it was found.
 */
export async function injectFaults(toxiproxyUrl: string, faults: CheckFaults): Promise<() => Promise<void>> {
  const { slowed, cut, loadMs } = faults;
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
  // retry and no ejection for their panels to show (with the pass-through
  // proxy that was the case in about half the runs). A reset on every
  // request sent in the window fails calls for certain.
  if (cut) {
    timer = setTimeout(() => {
      restored = call('POST', `/proxies/${cut}/toxics`, { name: 'check-reset', type: 'reset_peer', stream: 'upstream', toxicity: 1, attributes: { timeout: 0 } })
        .then(() => new Promise((resolve) => setTimeout(resolve, Math.min(4_000, loadMs / 3))))
        .then(() => call('DELETE', `/proxies/${cut}/toxics/check-reset`));
    }, loadMs / 3);
  }
  return async () => {
    clearTimeout(timer);
    await restored.catch(() => undefined);
    if (cut) await call('DELETE', `/proxies/${cut}/toxics/check-reset`).catch(() => undefined);
    await call('DELETE', `/proxies/${slowed}/toxics/check-latency`).catch(() => undefined);
  };
}
