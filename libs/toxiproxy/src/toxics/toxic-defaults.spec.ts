import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startToxiproxyServer, toxicTypeNames, type ToxiproxyServer } from '../index.js';
import { startEchoServer, type EchoServer } from '../testing/tcp-harness.js';

/*
 * The real server decodes a toxic's attributes into a Go struct: whatever the
 * request leaves out is the field's zero value. So `{"type": T}` alone creates
 * a toxic of type T with every documented attribute 0 (specs/toxiproxy.md
 * lists them per type), and the embedded server must do the same — a scenario
 * that relies on a default must not fail here and pass against the real one.
 */
const DOCUMENTED_ATTRIBUTES: Record<string, readonly string[]> = {
  noop: [],
  latency: ['latency', 'jitter'],
  bandwidth: ['rate'],
  slow_close: ['delay'],
  timeout: ['timeout'],
  reset_peer: ['timeout'],
  slicer: ['average_size', 'size_variation', 'delay'],
  limit_data: ['bytes'],
};

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

describe('a toxic created with no attributes', () => {
  it('covers every toxic type the server knows', () => {
    expect([...toxicTypeNames()].sort()).toEqual(Object.keys(DOCUMENTED_ATTRIBUTES).sort());
  });

  it.each(Object.entries(DOCUMENTED_ATTRIBUTES))('%s: created with every documented attribute 0', async (type, attributes) => {
    const proxy = await new Toxiproxy(server.url).createProxy({ name: `defaults-${type}`, listen: '127.0.0.1:0', upstream: echo.address });
    const toxic = await proxy.addToxic({ name: `defaults-${type}`, type: type as never, stream: 'downstream', toxicity: 1, attributes: {} as never });
    expect(toxic.type).toBe(type);
    expect(toxic.attributes).toEqual(Object.fromEntries(attributes.map((name) => [name, 0])));
    await proxy.remove();
  });
});
