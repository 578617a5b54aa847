import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PortReservations } from './port-reservations.js';
import { freePortRange, PortAllocator } from './ports.js';

/** The same "random" draws for every allocator: without reservations they would all pick the same ports. */
const sameDraws = () => {
  let i = 0;
  return () => ((i++ * 7919) % 1000) / 1000;
};

describe('PortAllocator', () => {
  it('draws free ports below the ephemeral range, and two plans made at the same time never share one', async () => {
    const a = new PortAllocator('127.0.0.1', sameDraws());
    const b = new PortAllocator('127.0.0.1', sameDraws());
    const ports = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).take(0)));
    expect(new Set(ports).size).toBe(20);
    const { from, to } = freePortRange();
    for (const port of ports) expect(port >= from && port <= to).toBe(true);
  });

  it('hands out a fixed port as asked', async () => {
    expect(await new PortAllocator('127.0.0.1').take(8080)).toBe(8080);
  });
});

describe('PortReservations', () => {
  it("refuses a port a live process holds and takes over a dead process's", () => {
    const dir = mkdtempSync(join(tmpdir(), 'zonemesh-ports-spec-'));
    const reservations = new PortReservations(dir);
    expect(reservations.reserve(20_001)).toBe(true);
    expect(reservations.reserve(20_001)).toBe(false);
    writeFileSync(join(dir, '20002'), '999999999'); // no such pid
    expect(reservations.reserve(20_002)).toBe(true);
  });
});
