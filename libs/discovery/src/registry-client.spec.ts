import { afterEach, describe, expect, it } from 'vitest';
import { RegistryUnavailableError } from './eureka-http.js';
import { RegistryClient } from './registry-client.js';
import { parseRegistryUrls } from './registry-urls.js';
import { type FakeAnswer, type FakeRegistry, startFakeRegistry } from './testing/fake-registry.js';

let servers: FakeRegistry[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** A registry whose health a test flips: healthy answers 200, unhealthy drops the connection. */
async function switchable(): Promise<FakeRegistry & { healthy: boolean }> {
  const state = { healthy: true };
  const server = await startFakeRegistry((): FakeAnswer => (state.healthy ? { status: 200, body: '' } : undefined));
  servers.push(server);
  return Object.defineProperty(server, 'healthy', {
    get: () => state.healthy,
    set: (value: boolean) => (state.healthy = value),
  }) as FakeRegistry & { healthy: boolean };
}

describe('RegistryClient (retryable + sessioned transport)', () => {
  it('starts with its own zone, sticks to the server that answered, fails over and quarantines the failed one', async () => {
    const [a, b, c] = await Promise.all([switchable(), switchable(), switchable()]);
    const client = new RegistryClient({
      zone: 'zone-a',
      registries: [{ zone: 'zone-b', url: b.url }, { zone: 'zone-c', url: c.url }, { zone: 'zone-a', url: a.url }],
      requestTimeoutMs: 1_000,
    });
    expect((await client.execute('Heartbeat', 'PUT', '/apps/X/1')).registry.zone).toBe('zone-a');
    a.healthy = false;
    const failedOver = await client.execute('Heartbeat', 'PUT', '/apps/X/1');
    expect(failedOver.registry.zone).toBe('zone-b');
    expect(client.quarantined.map((r) => r.zone)).toEqual(['zone-a']);
    // Sticky: zone-a is back, but the client stays with zone-b until zone-b fails or the session ends.
    a.healthy = true;
    await client.execute('Heartbeat', 'PUT', '/apps/X/1');
    expect(client.registry?.zone).toBe('zone-b');
    expect(b.count('PUT')).toBe(2);
  });

  it('gives up after three servers and clears the quarantine once 66% of the servers are in it', async () => {
    const servers4 = await Promise.all([switchable(), switchable(), switchable(), switchable()]);
    for (const s of servers4) s.healthy = false;
    const client = new RegistryClient({
      zone: 'z0',
      registries: servers4.map((s, i) => ({ zone: `z${i}`, url: s.url })),
      requestTimeoutMs: 1_000,
    });
    await expect(client.execute('Register', 'POST', '/apps/X', {})).rejects.toBeInstanceOf(RegistryUnavailableError);
    expect(servers4.map((s) => s.count('POST'))).toEqual([1, 1, 1, 0]);
    expect(client.quarantined).toHaveLength(3);
    // 3 of 4 quarantined >= floor(4 * 0.66) = 2: the quarantine is cleared and the order starts over.
    servers4[0].healthy = true;
    expect((await client.execute('Register', 'POST', '/apps/X', {})).registry.zone).toBe('z0');
  });

  it('skips quarantined servers while fewer than 66% of them are quarantined', async () => {
    const servers4 = await Promise.all([switchable(), switchable(), switchable(), switchable()]);
    const client = new RegistryClient({
      zone: 'z0',
      registries: servers4.map((s, i) => ({ zone: `z${i}`, url: s.url })),
      requestTimeoutMs: 1_000,
      maxAttempts: 1,
    });
    servers4[0].healthy = false;
    await expect(client.execute('Heartbeat', 'PUT', '/x')).rejects.toThrow();
    servers4[0].healthy = true;
    // 1 of 4 quarantined < floor(4 * 0.66) = 2: z0 stays skipped although it is back.
    expect((await client.execute('Heartbeat', 'PUT', '/x')).registry.zone).toBe('z1');
    expect(client.quarantined.map((r) => r.zone)).toEqual(['z0']);
  });

  it('returns to its own zone\'s registry when the session ends (duration with jitter)', async () => {
    const [a, b] = await Promise.all([switchable(), switchable()]);
    let now = 1_000_000;
    const client = new RegistryClient({
      zone: 'zone-a',
      registries: [{ zone: 'zone-a', url: a.url }, { zone: 'zone-b', url: b.url }],
      sessionDurationMs: 10_000,
      sessionJitter: 0.5,
      now: () => now,
      random: () => 1 - Number.EPSILON, // the longest session: 15 000 ms
      requestTimeoutMs: 1_000,
    });
    a.healthy = false;
    expect((await client.execute('Heartbeat', 'PUT', '/x')).registry.zone).toBe('zone-b');
    a.healthy = true;
    now += 14_000;
    expect((await client.execute('Heartbeat', 'PUT', '/x')).registry.zone).toBe('zone-b');
    now += 1_001;
    expect((await client.execute('Heartbeat', 'PUT', '/x')).registry.zone).toBe('zone-a');
    expect(client.sessionsEnded).toBe(1);
  });

  it('treats 5xx and unacceptable statuses as failures but accepts 404 for heartbeats', async () => {
    const broken = await startFakeRegistry(() => ({ status: 503 }));
    const missing = await startFakeRegistry(() => ({ status: 404 }));
    servers.push(broken, missing);
    const client = new RegistryClient({
      zone: 'a',
      registries: [{ zone: 'a', url: broken.url }, { zone: 'b', url: missing.url }],
    });
    const response = await client.execute('Heartbeat', 'PUT', '/x');
    expect([response.status, response.registry.zone]).toEqual([404, 'b']);
    await expect(client.execute('GetApplications', 'GET', '/apps')).rejects.toThrow('HTTP 404');
  });

  it('sends user:pass@ URLs as Basic auth, per registry, and never names the password in an error', async () => {
    const a = await startFakeRegistry((): FakeAnswer => undefined);
    const b = await startFakeRegistry((): FakeAnswer => ({ status: 200, body: '' }));
    servers.push(a, b);
    const withCredentials = (url: string, user: string, password: string) => url.replace('http://', `http://${user}:${encodeURIComponent(password)}@`);
    const registries = parseRegistryUrls(`zone-a=${withCredentials(a.url, 'alice', 'pw-a@1')},zone-b=${withCredentials(b.url, 'bob', 'pw-b')}`);
    expect(registries.map((r) => r.url)).toEqual([a.url, b.url]);
    const client = new RegistryClient({ zone: 'zone-a', registries, requestTimeoutMs: 1_000 });
    const answered = await client.execute('Heartbeat', 'PUT', '/apps/X/1');
    expect(answered.registry.zone).toBe('zone-b');
    expect(a.authorizations).toEqual([`Basic ${Buffer.from('alice:pw-a@1').toString('base64')}`]);
    expect(b.authorizations).toEqual([`Basic ${Buffer.from('bob:pw-b').toString('base64')}`]);
    b.authorizations.length = 0;
    await b.close();
    const error = await client.execute('Heartbeat', 'PUT', '/apps/X/1').catch((e: Error) => e);
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect(String((error as Error).message)).not.toMatch(/pw-a|pw-b|alice|bob/);
  });

  it('refuses a malformed registry entry without echoing its password', () => {
    expect(() => parseRegistryUrls('zone-a=ftp://u:topsecret@host/eureka')).toThrow(/expected an http\(s\) URL, got "ftp:\/\/\*\*\*@host\/eureka"/);
  });
});
