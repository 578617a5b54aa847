import { Toxiproxy } from 'toxiproxy-node-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startToxiproxyServer } from '../index.js';
import { useProxyFixture } from '../testing/proxy-fixture.js';
import { portOf, startEchoServer, TestClient, tryConnect } from '../testing/tcp-harness.js';

const fx = useProxyFixture('life');
const clients: TestClient[] = [];

// Tests here make several proxies each: all of them go after each test.
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const proxy of Object.values(await fx.toxiproxy.getAll())) await proxy.remove();
});

async function open(listen: string): Promise<TestClient> {
  const client = await TestClient.connect(portOf(listen));
  clients.push(client);
  return client;
}

describe('enabling and disabling', () => {
  it('a disabled proxy closes open connections and refuses new ones; re-enabling accepts again', async () => {
    const proxy = await fx.toxiproxy.createProxy({ name: 'flip', listen: '127.0.0.1:0', upstream: fx.echo.address });
    const client = await open(proxy.listen);
    await client.roundTrip('before');

    const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    expect(disabled.enabled).toBe(false);
    await client.waitClosed(2000);
    expect(await tryConnect(portOf(proxy.listen))).toBe('ECONNREFUSED');

    const enabled = await disabled.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
    expect(enabled.listen).toBe(proxy.listen);
    const again = await open(proxy.listen);
    await again.roundTrip('after');
    expect(again.received.toString()).toBe('after');
  });

  it('creating with enabled=false does not listen', async () => {
    const response = await fetch(`${fx.server.url}/proxies`, {
      method: 'POST',
      body: JSON.stringify({ name: 'off', listen: '127.0.0.1:0', upstream: fx.echo.address, enabled: false }),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ name: 'off', listen: '127.0.0.1:0', upstream: fx.echo.address, enabled: false, toxics: [] });
  });

  it('deleting a proxy closes its listener and connections', async () => {
    const proxy = await fx.toxiproxy.createProxy({ name: 'gone', listen: '127.0.0.1:0', upstream: fx.echo.address });
    const client = await open(proxy.listen);
    await client.roundTrip();
    await proxy.remove();
    await client.waitClosed(2000);
    expect(await tryConnect(portOf(proxy.listen))).toBe('ECONNREFUSED');
  });

  it('changing the upstream restarts the proxy and drops connections', async () => {
    const other = await startEchoServer();
    try {
      const proxy = await fx.toxiproxy.createProxy({ name: 'move', listen: '127.0.0.1:0', upstream: fx.echo.address });
      const client = await open(proxy.listen);
      await client.roundTrip();
      const patched = await fetch(`${fx.server.url}/proxies/move`, { method: 'PATCH', body: JSON.stringify({ upstream: other.address }) });
      expect(patched.status).toBe(200);
      expect(await patched.json()).toMatchObject({ listen: proxy.listen, upstream: other.address, enabled: true });
      await client.waitClosed(2000);
      const fresh = await open(proxy.listen);
      await fresh.roundTrip();
      expect(other.accepted).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('closes the client when the upstream cannot be dialled', async () => {
    const dead = await startEchoServer();
    const deadAddress = dead.address;
    await dead.close();
    const proxy = await fx.toxiproxy.createProxy({ name: 'dead', listen: '127.0.0.1:0', upstream: deadAddress });
    const client = await open(proxy.listen);
    await client.waitClosed(2000);
  });
});

describe('populate', () => {
  it('keeps an unchanged proxy with its toxics and connections, replaces a changed one', async () => {
    const first = await fx.toxiproxy.populate([
      { name: 'keep', listen: '127.0.0.1:0', upstream: fx.echo.address },
      { name: 'swap', listen: '127.0.0.1:0', upstream: fx.echo.address },
    ]);
    const keep = first.keep;
    await keep.addToxic({ name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 1, jitter: 0 } });
    await first.swap.addToxic({ name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 1, jitter: 0 } });
    const kept = await open(keep.listen);
    await kept.roundTrip();
    const swapped = await open(first.swap.listen);
    await swapped.roundTrip();

    const second = await fx.toxiproxy.populate([
      { name: 'keep', listen: keep.listen, upstream: fx.echo.address },
      { name: 'swap', listen: '127.0.0.1:0', upstream: fx.echo.address },
    ]);
    expect(second.keep.listen).toBe(keep.listen);
    await swapped.waitClosed(2000);
    await kept.roundTrip('still-open');
    expect(kept.closed).toBe(false);
    const toxicsOf = async (name: string) => (await (await fetch(`${fx.server.url}/proxies/${name}/toxics`)).json()) as unknown[];
    expect(await toxicsOf('keep')).toHaveLength(1);
    expect(await toxicsOf('swap')).toHaveLength(0);
  });

  it('validates every entry before changing anything', async () => {
    await expect(
      fx.toxiproxy.populate([
        { name: 'valid', listen: '127.0.0.1:0', upstream: fx.echo.address },
        { name: '', listen: '127.0.0.1:0', upstream: fx.echo.address },
      ]),
    ).rejects.toThrow('Request failed with status code 400');
    expect(Object.keys(await fx.toxiproxy.getAll())).toEqual([]);
  });
});

describe('reset', () => {
  it('re-enables every proxy and removes all toxics', async () => {
    const proxy = await fx.toxiproxy.createProxy({ name: 'rst', listen: '127.0.0.1:0', upstream: fx.echo.address });
    await proxy.addToxic({ name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 2000, jitter: 0 } });
    const client = await open(proxy.listen);
    client.send('held');
    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });

    await fx.toxiproxy.reset();
    const after = await fx.toxiproxy.get('rst');
    expect(after.enabled).toBe(true);
    expect(after.listen).toBe(proxy.listen);
    expect(await (await fetch(`${fx.server.url}/proxies/rst/toxics`)).json()).toEqual([]);
    const fresh = await open(proxy.listen);
    expect(await fresh.roundTrip()).toBeLessThan(500);
  });

  it('flushes data held by removed toxics on open connections', async () => {
    const proxy = await fx.toxiproxy.createProxy({ name: 'rst2', listen: '127.0.0.1:0', upstream: fx.echo.address });
    await proxy.addToxic({ name: 'stall', type: 'bandwidth', stream: 'downstream', toxicity: 1, attributes: { rate: 0 } });
    const client = await open(proxy.listen);
    client.send('queued');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.received.length).toBe(0);
    await fx.toxiproxy.reset();
    expect((await client.receive(6, 2000)).toString()).toBe('queued');
  });
});

describe('server lifecycle', () => {
  it('populates at start-up and close() stops proxies and the API', async () => {
    const own = await startToxiproxyServer({ port: 0, populate: [{ name: 'boot', listen: '127.0.0.1:0', upstream: fx.echo.address }] });
    const boot = await new Toxiproxy(own.url).get('boot');
    const client = await open(boot.listen);
    await client.roundTrip();
    await own.close();
    await client.waitClosed(2000);
    expect(await tryConnect(portOf(boot.listen))).toBe('ECONNREFUSED');
    expect(await tryConnect(own.port)).toBe('ECONNREFUSED');
  });

  it('rejects start-up when a populate entry cannot be applied, leaving nothing running', async () => {
    const holder = await fx.toxiproxy.createProxy({ name: 'holder', listen: '127.0.0.1:0', upstream: fx.echo.address });
    await expect(
      startToxiproxyServer({
        port: 0,
        populate: [
          { name: 'first', listen: '127.0.0.1:0', upstream: fx.echo.address },
          { name: 'clash', listen: holder.listen, upstream: fx.echo.address },
        ],
      }),
    ).rejects.toThrow(`populate[1] (clash): listen tcp ${holder.listen}: bind: address already in use`);
  });
});
