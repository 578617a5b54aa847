import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../testing/registry-process.test.js';
import { TinyDnsServer } from '../testing/tiny-dns-server.test.js';
import { DnsSource, type DnsSourceOptions } from './dns.source.js';
import type { InstanceSourceUpdate } from './instance-source.js';

let dns: TinyDnsServer | undefined;
let source: DnsSource | undefined;

afterEach(async () => {
  await source?.stop();
  await dns?.close();
});

function start(options: Partial<DnsSourceOptions>): InstanceSourceUpdate[] {
  const updates: InstanceSourceUpdate[] = [];
  source = new DnsSource({ name: '', record: 'SRV', port: undefined, app: 'reviews', intervalMs: 100, servers: [dns!.address], zone: 'zone-a', ...options });
  source.start((u) => updates.push(u));
  return updates;
}

function latest(updates: InstanceSourceUpdate[]): string[] | undefined {
  const last = [...updates].reverse().find((u) => 'instances' in u) as { instances: Array<{ instanceId: string; zone: string; app: string }> } | undefined;
  return last?.instances.map((i) => `${i.app}/${i.instanceId}/${i.zone}`);
}

describe('DnsSource (against a DNS server on loopback UDP)', () => {
  it('resolves SRV targets to addresses and follows record changes on its interval', async () => {
    dns = await TinyDnsServer.start();
    dns.srv.set('_http._tcp.reviews.test', [
      { priority: 0, weight: 5, port: 9101, target: 'r1.reviews.test' },
      { priority: 0, weight: 5, port: 9102, target: 'r2.reviews.test' },
    ]);
    dns.a.set('r1.reviews.test', ['127.0.0.11']);
    dns.a.set('r2.reviews.test', ['127.0.0.12']);
    const updates = start({ name: '_http._tcp.reviews.test' });
    await waitFor(() => JSON.stringify(latest(updates)) === JSON.stringify(['REVIEWS/127.0.0.11:9101/zone-a', 'REVIEWS/127.0.0.12:9102/zone-a']), { what: 'SRV list' });
    const first = updates.find((u) => 'instances' in u) as { instances: ReadonlyArray<{ metadata: Record<string, string> }> };
    expect(first.instances[0]!.metadata).toMatchObject({ 'dns.name': '_http._tcp.reviews.test', 'dns.target': 'r1.reviews.test', weight: '5' });

    dns.srv.set('_http._tcp.reviews.test', [{ priority: 0, weight: 5, port: 9102, target: 'r2.reviews.test' }]);
    await waitFor(() => JSON.stringify(latest(updates)) === JSON.stringify(['REVIEWS/127.0.0.12:9102/zone-a']), { what: 'record removed' });
  });

  it('uses the configured port with A records', async () => {
    dns = await TinyDnsServer.start();
    dns.a.set('reviews.test', ['127.0.0.21', '127.0.0.22']);
    const updates = start({ name: 'reviews.test', record: 'A', port: 9000 });
    await waitFor(() => JSON.stringify(latest(updates)) === JSON.stringify(['REVIEWS/127.0.0.21:9000/zone-a', 'REVIEWS/127.0.0.22:9000/zone-a']), { what: 'A list' });
  });

  it('reports an unreachable DNS server or NXDOMAIN as errors (the syncer keeps the last good list)', async () => {
    dns = await TinyDnsServer.start();
    dns.a.set('reviews.test', ['127.0.0.21']);
    const updates = start({ name: 'reviews.test', record: 'A', port: 9000, intervalMs: 50 });
    await waitFor(() => latest(updates) !== undefined, { what: 'first list' });
    dns.silent = true;
    await waitFor(() => updates.some((u) => 'error' in u), { what: 'timeout error', timeoutMs: 20_000 });
    expect((updates.find((u) => 'error' in u) as { error: Error }).error.message).toBe('dns A reviews.test: ETIMEOUT');
    dns.silent = false;
    dns.a.delete('reviews.test');
    await waitFor(() => updates.some((u) => 'error' in u && u.error.message.endsWith('ENOTFOUND')), { what: 'NXDOMAIN error' });
    expect(latest(updates)).toEqual(['REVIEWS/127.0.0.21:9000/zone-a']);
  });
});
