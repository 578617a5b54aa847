import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { waitFor } from '@zonemesh/testing';
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startToxiproxyServer, type ToxiproxyServer } from '../index.js';
import { portOf, startEchoServer, TestClient, type EchoServer } from '../testing/tcp-harness.js';
import { validateProxyLimits } from './proxy-limits.js';

async function metric(server: ToxiproxyServer, line: RegExp): Promise<number | undefined> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const match = text.split('\n').find((l) => line.test(l));
  return match === undefined ? undefined : Number(match.slice(match.lastIndexOf(' ') + 1));
}

describe('per-proxy connection cap', () => {
  let server: ToxiproxyServer;
  let echo: EchoServer;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    echo = await startEchoServer();
    server = await startToxiproxyServer({ port: 0, limits: { maxConnections: 2 } });
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.close();
    await echo?.close();
  });

  it('closes a client beyond the cap at once, counts it, and accepts again once one left', async () => {
    const proxy = await new Toxiproxy(server.url).createProxy({ name: 'capped', listen: '127.0.0.1:0', upstream: echo.address });
    const port = portOf(proxy.listen);
    for (let i = 0; i < 2; i++) clients.push(await TestClient.connect(port));
    for (const c of clients) expect(await c.roundTrip('ok')).toBeGreaterThanOrEqual(0);
    const acceptedBefore = echo.accepted;

    const third = await TestClient.connect(port);
    third.send('never forwarded');
    await third.waitClosed(5000);
    expect(third.received.length).toBe(0);
    expect(echo.accepted).toBe(acceptedBefore); // no upstream dial for a refused client
    expect(await metric(server, /^zonemesh_toxiproxy_refused_connections_total\{.*proxy="capped".*reason="connection_cap"/)).toBe(1);

    clients.shift()!.destroy();
    await waitFor(async () => (await metric(server, /^zonemesh_toxiproxy_connections\{.*proxy="capped"/)) === 1, { timeoutMs: 5000, what: 'the proxy to see the client leave' });
    const again = await TestClient.connect(port);
    clients.push(again);
    expect((await again.roundTrip('back')) >= 0).toBe(true);
    // The Toxiproxy API is unchanged: the proxy's JSON has exactly Toxiproxy's keys.
    expect(Object.keys((await (await fetch(`${server.url}/proxies/capped`)).json()) as object)).toEqual(['name', 'listen', 'upstream', 'enabled', 'toxics']);
  });
});

/**
 * An upstream that never answers the TCP handshake: a real listener with a
 * backlog of 1 in a process that is stopped (SIGSTOP), its accept queue
 * filled, so the kernel drops every further SYN.
 */
async function startSilentUpstream(): Promise<{ port: number; fillers: Socket[]; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', "require('net').createServer().listen({ host: '127.0.0.1', port: 0, backlog: 1 }, function () { console.log(this.address().port) })"], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (data: Buffer) => resolve(Number(String(data).trim())));
    child.once('exit', () => reject(new Error('silent upstream exited')));
  });
  child.kill('SIGSTOP');
  const fillers: Socket[] = [];
  // Fill the accept queue until a handshake no longer completes.
  for (let i = 0; i < 16; i++) {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => {});
    fillers.push(socket);
    // The one bound here proves an absence (no SYN-ACK), which no condition can be polled for:
    // a filler that completes returns at once; one that does not is the proof the queue is full.
    // /proc/net/tcp's accept-queue count was tried instead and is not enough (Linux still
    // answers SYNs for a while after the queue reads full).
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 500);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!connected) return { port, fillers, child };
  }
  throw new Error('the stopped listener kept completing handshakes');
}

describe('upstream connect timeout', () => {
  let server: ToxiproxyServer;
  let silent: Awaited<ReturnType<typeof startSilentUpstream>>;

  beforeAll(async () => {
    silent = await startSilentUpstream();
    server = await startToxiproxyServer({ port: 0, limits: { upstreamConnectTimeoutMs: 300 } });
  }, 30_000);
  afterAll(async () => {
    await server?.close();
    for (const s of silent?.fillers ?? []) s.destroy();
    silent?.child.kill('SIGKILL');
  });

  it('closes the client when the upstream never answers the handshake, and counts it', async () => {
    const proxy = await new Toxiproxy(server.url).createProxy({ name: 'silent', listen: '127.0.0.1:0', upstream: `127.0.0.1:${silent.port}` });
    const client = await TestClient.connect(portOf(proxy.listen));
    // The OS would keep retrying the SYN for minutes; the proxy gives up after 300 ms.
    await client.waitClosed(10_000);
    expect(await metric(server, /^zonemesh_toxiproxy_refused_connections_total\{.*proxy="silent".*reason="upstream_connect_timeout"/)).toBe(1);
    await waitFor(async () => (await metric(server, /^zonemesh_toxiproxy_connections\{.*proxy="silent"/)) === 0, { timeoutMs: 5000, what: 'the abandoned connection to be forgotten' });
  });
});

describe('limits validation', () => {
  it('names the bad limit', () => {
    expect(() => validateProxyLimits({ maxConnections: 0 }, 'limits')).toThrow('limits.maxConnections: expected a whole number >= 1, got 0');
    expect(() => validateProxyLimits({ upstreamConnectTimeoutMs: -1 })).toThrow(/^upstreamConnectTimeoutMs: expected milliseconds/);
    expect(validateProxyLimits({})).toEqual({ maxConnections: 10_000, upstreamConnectTimeoutMs: 10_000 });
  });
});
