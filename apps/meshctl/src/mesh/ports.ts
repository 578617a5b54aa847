import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { PortReservations } from './port-reservations.js';

/** Asks the OS for a free TCP port on `host` (bind to 0, read, release). */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Resolves to undefined when `host:port` can be bound, else the OS error code (EADDRINUSE, EACCES...). */
export function probePort(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'EUNKNOWN'));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/**
 * Where free ports are drawn from: below the kernel's ephemeral range, so a
 * planned port cannot be taken by an outgoing connection's local port (or
 * by another program's bind(0)) in the seconds before its process binds it.
 */
export function freePortRange(): { from: number; to: number } {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low !== undefined && Number.isInteger(low) && low > 12_000) return { from: 10_000, to: low - 1 };
  } catch {
    // not Linux: fall through
  }
  return { from: 20_000, to: 32_767 };
}

/**
 * Hands out ports: a fixed port as asked, or for 0 a free one drawn at
 * random below the ephemeral range, reserved across processes until this
 * one exits (PortReservations) and never the same one twice in a plan.
 */
export class PortAllocator {
  private readonly taken = new Set<number>();
  private reservations: PortReservations | undefined;

  constructor(
    private readonly host: string,
    private readonly random: () => number = Math.random,
  ) {}

  async take(requested: number): Promise<number> {
    if (requested !== 0) {
      this.taken.add(requested);
      return requested;
    }
    if (!this.reservations) {
      this.reservations = new PortReservations();
      this.reservations.sweep();
    }
    const { from, to } = freePortRange();
    for (let attempt = 0; attempt < 200; attempt++) {
      const port = from + Math.floor(this.random() * (to - from + 1));
      if (this.taken.has(port)) continue;
      if ((await probePort(this.host, port)) !== undefined) continue;
      if (!this.reservations.reserve(port)) continue;
      this.taken.add(port);
      return port;
    }
    // A crowded range: let the OS choose, as before.
    for (;;) {
      const port = await freePort(this.host);
      if (!this.taken.has(port)) {
        this.taken.add(port);
        return port;
      }
    }
  }
}
