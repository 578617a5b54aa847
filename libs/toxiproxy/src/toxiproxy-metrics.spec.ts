import { waitFor } from '@zonemesh/testing';
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startToxiproxyServer, type ToxiproxyServer } from './index.js';
import { startEchoServer, TestClient, type EchoServer } from './testing/tcp-harness.js';

let server: ToxiproxyServer;
let echo: EchoServer;

beforeAll(async () => {
  echo = await startEchoServer();
  server = await startToxiproxyServer({ port: 0 });
});

afterAll(async () => {
  await server?.close();
  await echo?.close();
});

async function scrape(): Promise<string> {
  const response = await fetch(`${server.url}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `) || l.startsWith(series.replace(/\}$/, ',')));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GET /metrics of the embedded toxiproxy', () => {
  it('counts bytes per direction, open connections, toxics and disabled proxies', async () => {
    const client = new Toxiproxy(server.url);
    const proxy = await client.createProxy({ name: 'catalog-zone-a-1', listen: '127.0.0.1:0', upstream: echo.address });
    const port = Number(proxy.listen.split(':').pop());

    const tcp = await TestClient.connect(port);
    await tcp.roundTrip('x'.repeat(1000));
    let text = await scrape();
    expect(value(text, 'zonemesh_toxiproxy_bytes_total{proxy="catalog-zone-a-1",direction="upstream"}')).toBe(1000);
    expect(value(text, 'zonemesh_toxiproxy_bytes_total{proxy="catalog-zone-a-1",direction="downstream"}')).toBe(1000);
    expect(value(text, 'zonemesh_toxiproxy_connections{proxy="catalog-zone-a-1"}')).toBe(1);
    // The real Toxiproxy's name and labels for the same bytes (dashboards read either).
    const listener = proxy.listen;
    expect(value(text, `toxiproxy_proxy_sent_bytes_total{direction="upstream",listener="${listener}",proxy="catalog-zone-a-1",upstream="${echo.address}"}`)).toBe(1000);
    expect(value(text, `toxiproxy_proxy_sent_bytes_total{direction="downstream",listener="${listener}",proxy="catalog-zone-a-1",upstream="${echo.address}"}`)).toBe(1000);
    expect(value(text, 'zonemesh_toxiproxy_active_toxics{proxy="catalog-zone-a-1"}')).toBe(0);
    expect(text).toContain('service="toxiproxy"');

    await proxy.addToxic({ name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 1, jitter: 0 } });
    await proxy.update({ enabled: false } as never);
    await tcp.waitClosed();
    text = await scrape();
    expect(value(text, 'zonemesh_toxiproxy_active_toxics{proxy="catalog-zone-a-1"}')).toBe(1);
    expect(value(text, 'zonemesh_toxiproxy_proxy_enabled{proxy="catalog-zone-a-1"}')).toBe(0);
    await waitFor(async () => value(await scrape(), 'zonemesh_toxiproxy_connections{proxy="catalog-zone-a-1"}') === 0, { timeoutMs: 5000, what: 'connection gone' });
    await proxy.remove();
  });
});
