/** The gateway's clusters as /admin/clusters lists them (the fields the settle check reads). */
interface ClustersPage {
  readonly clusters?: ReadonlyArray<{ readonly spillShare?: number; readonly latencySpillHeld?: boolean; readonly endpoints?: ReadonlyArray<{ readonly failedInstanceUntil?: string; readonly outlier?: { readonly ejected?: boolean } }> }>;
}

/**
 * Waits (at most `timeoutMs`) until the gateway's clusters have settled from
 * the previous scenario: no endpoint ejected or in the failed-instance cache,
 * nothing spilling, no latency-spill hold. Scenarios run back to back on one mesh, and a scenario
 * that ends with a deliberate failback still pending (flapping-instance's
 * last flap + failed_instance_ttl) would otherwise hand the next one a zone
 * share its steady state rejects. Returns the ms waited, or undefined when
 * it did not settle in time (the next scenario then judges for itself).
 */
export async function waitForSettledGateway(gatewayUrl: string, timeoutMs: number, signal?: AbortSignal): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs && !signal?.aborted) {
    try {
      const response = await fetch(new URL('/admin/clusters', gatewayUrl), { signal: AbortSignal.timeout(2_000) });
      if (response.ok) {
        const page = (await response.json()) as ClustersPage;
        const now = Date.now();
        const settled = (page.clusters ?? []).every(
          (c) =>
            (c.spillShare ?? 0) === 0 &&
            // A latency-spill hold (a previous overload) would keep the next scenario's slow zone where it is.
            c.latencySpillHeld !== true &&
            (c.endpoints ?? []).every((e) => !e.outlier?.ejected && (e.failedInstanceUntil === undefined || Date.parse(e.failedInstanceUntil) <= now)),
        );
        if (settled) return Date.now() - started;
      }
    } catch {
      // not answering yet: try again
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return undefined;
}
