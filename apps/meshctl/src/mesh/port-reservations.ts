import { mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Ports a mesh on free ports hands out, reserved across processes until the
 * process that planned them exits: one file per port under
 * <tmp>/zonemesh-ports/, created exclusively, holding the owner's pid.
 *
 * Why: a planned port stays unbound for the seconds a process needs to
 * start, and two meshes planned at the same moment (parallel test workers,
 * a soak beside a test) could otherwise pick the same one. The OS cannot
 * help: a port just released by bind(0) is free for anyone again.
 */
export class PortReservations {
  constructor(private readonly dir = join(tmpdir(), 'zonemesh-ports')) {
    mkdirSync(dir, { recursive: true });
  }

  /** Reserves `port` for this process; false when a live process holds it. */
  reserve(port: number): boolean {
    const file = join(this.dir, String(port));
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return true;
    } catch {
      if (!this.stale(file)) return false;
      try {
        unlinkSync(file);
        writeFileSync(file, String(process.pid), { flag: 'wx' });
        return true;
      } catch {
        return false;
      }
    }
  }

  /** Drops the reservations of processes that are gone (run now and then; cheap). */
  sweep(): void {
    for (const name of readdirSync(this.dir)) {
      const file = join(this.dir, name);
      if (this.stale(file)) {
        try {
          unlinkSync(file);
        } catch {
          // another sweeper was first
        }
      }
    }
  }

  private stale(file: string): boolean {
    try {
      const pid = Number(readFileSync(file, 'utf8'));
      if (!Number.isInteger(pid) || pid <= 0) return statSync(file).mtimeMs < Date.now() - 60_000;
      process.kill(pid, 0);
      return false;
    } catch (error) {
      // ESRCH: the owner is gone. EPERM: alive, someone else's. ENOENT: already removed.
      return (error as NodeJS.ErrnoException).code !== 'EPERM';
    }
  }
}
