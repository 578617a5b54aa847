/** What a bounded load run sent and got back. */
export interface LoadSummary {
  readonly sent: number;
  readonly byStatus: Readonly<Record<string, number>>;
}

export interface LoadOptions {
  /** Gateway base URL (loopback). */
  readonly gatewayUrl: string;
  readonly durationMs: number;
  /** Requests in flight at once, default 4. */
  readonly concurrency?: number;
  /** Hard cap on requests, default 20 000. */
  readonly maxRequests?: number;
}

/**
 * The i-th request of the mix: mostly v1 products, every 4th asks for v2
 * (header or path prefix, alternately), every 10th names a product that does
 * not exist (404 through a NOT_FOUND from catalog) so error panels have data.
 */
export function loadRequest(i: number): { path: string; headers: Record<string, string> } {
  const id = (i % 500) + 1;
  if (i % 10 === 9) return { path: `/api/products/${900_000 + id}`, headers: {} };
  if (i % 8 === 3) return { path: `/api/products/${id}`, headers: { 'x-api-version': 'v2' } };
  if (i % 8 === 7) return { path: `/api/v2/products/${id}`, headers: {} };
  return { path: `/api/products/${id}`, headers: {} };
}

/** Closed-loop load on the gateway for `durationMs` (or `maxRequests`), whichever ends first. */
export async function driveLoad(options: LoadOptions): Promise<LoadSummary> {
  const deadline = Date.now() + options.durationMs;
  const max = options.maxRequests ?? 20_000;
  const byStatus: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (Date.now() < deadline && next < max) {
      const { path, headers } = loadRequest(next++);
      let key: string;
      try {
        const response = await fetch(`${options.gatewayUrl}${path}`, { headers, signal: AbortSignal.timeout(5_000) });
        await response.arrayBuffer();
        key = String(response.status);
      } catch (error) {
        key = (error as Error).name;
      }
      byStatus[key] = (byStatus[key] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  return { sent: next, byStatus };
}
