/** The part of `process` the stop wiring uses; a spec passes a fake. */
export interface StoppableProcess {
  on(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  once(event: 'disconnect', listener: () => void): unknown;
  readonly send?: unknown;
  exit(code: number): never | void;
}

/**
 * Runs `stop` once, then exits 0 (or 1 if it rejected), on SIGINT, SIGTERM
 * or, when a supervisor started us over IPC (`zonemesh up`), on that channel
 * closing: a supervisor that dies must not leave its children lingering.
 * Signals while stopping are ignored, so a second Ctrl-C does not cut the
 * first stop short.
 *
 * Its own entry point (`@zonemesh/runtime/exit-on-stop-signals`) so that a
 * small process (the registry, the syncer) does not load gRPC and Nest
 * through the barrel for it.
 */
export function exitOnStopSignals(stop: () => Promise<unknown>, proc: StoppableProcess = process): void {
  let stopping = false;
  const onSignal = (): void => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => proc.exit(0),
      () => proc.exit(1),
    );
  };
  proc.on('SIGINT', onSignal);
  proc.on('SIGTERM', onSignal);
  if (proc.send) proc.once('disconnect', onSignal);
}
