/** The answer of one registry call; `status` 0 never happens: transport failures throw. */
export interface EurekaResponse {
  readonly status: number;
  readonly body: string;
}

/** A registry that could not be reached or answered 5xx: try the next one. */
export class RegistryUnavailableError extends Error {}

/**
 * One HTTP call to a registry with a hard timeout. Transport errors, timeouts
 * and 5xx become RegistryUnavailableError so callers fail over uniformly.
 */
export async function eurekaRequest(
  url: string,
  init: { method: string; body?: unknown; timeoutMs: number; authorization?: string },
): Promise<EurekaResponse> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method,
      headers: {
        accept: 'application/json',
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.authorization ? { authorization: init.authorization } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(init.timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new RegistryUnavailableError(`${init.method} ${url}: ${cause}`);
  }
  const body = await response.text().catch(() => '');
  if (response.status >= 500) throw new RegistryUnavailableError(`${init.method} ${url}: HTTP ${response.status}`);
  return { status: response.status, body };
}
