import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { exitOnStopSignals, type StoppableProcess } from './exit-on-stop-signals.js';

class FakeProcess extends EventEmitter implements StoppableProcess {
  readonly exits: number[] = [];
  constructor(readonly send?: () => void) {
    super();
  }
  exit(code: number): void {
    this.exits.push(code);
  }
}

/** A stop the spec settles by hand, counting its calls. */
function manualStop() {
  let settle!: { resolve: () => void; reject: (error: Error) => void };
  const calls: number[] = [];
  const stop = () => {
    calls.push(calls.length);
    return new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  };
  return { stop, calls, settle: () => settle };
}

const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('exitOnStopSignals', () => {
  it('stops once on SIGTERM and exits 0 when the stop resolves, ignoring signals meanwhile', async () => {
    const proc = new FakeProcess();
    const { stop, calls, settle } = manualStop();
    exitOnStopSignals(stop, proc);
    proc.emit('SIGTERM');
    proc.emit('SIGINT');
    proc.emit('SIGTERM');
    expect(calls).toHaveLength(1);
    expect(proc.exits).toEqual([]);
    settle().resolve();
    await settled();
    expect(proc.exits).toEqual([0]);
  });

  it('exits 1 when the stop rejects', async () => {
    const proc = new FakeProcess();
    const { stop, settle } = manualStop();
    exitOnStopSignals(stop, proc);
    proc.emit('SIGINT');
    settle().reject(new Error('close failed'));
    await settled();
    expect(proc.exits).toEqual([1]);
  });

  it('stops when the supervisor IPC channel closes, only if there is one', async () => {
    const supervised = new FakeProcess(() => {});
    const a = manualStop();
    exitOnStopSignals(a.stop, supervised);
    supervised.emit('disconnect');
    expect(a.calls).toHaveLength(1);

    const alone = new FakeProcess();
    const b = manualStop();
    exitOnStopSignals(b.stop, alone);
    expect(alone.listenerCount('disconnect')).toBe(0);
    expect(alone.listenerCount('SIGTERM')).toBe(1);
  });
});
