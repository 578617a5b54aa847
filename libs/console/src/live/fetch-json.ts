/** GET a JSON document; undefined when the process does not answer in time or answers badly (a down process is a state, not an error). */
export async function fetchJson(url: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<unknown> {
  try {
    const response = await fetch(url, { headers: { accept: 'application/json', ...headers }, signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) {
      await response.arrayBuffer();
      return undefined;
    }
    return await response.json();
  } catch {
    return undefined;
  }
}

/** GET a text document (Prometheus exposition); undefined on any failure. */
export async function fetchText(url: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    return response.ok ? text : undefined;
  } catch {
    return undefined;
  }
}
