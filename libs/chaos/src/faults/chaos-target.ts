/** Where a scenario runs: the CLI builds this for the local mesh or for an existing one (compose). */
export interface ChaosTarget {
  /** Origin of the REST gateway, e.g. `http://127.0.0.1:8080`. */
  readonly gatewayUrl: string;
  /** Toxiproxy admin API, e.g. `http://127.0.0.1:8474`. */
  readonly toxiproxyUrl: string;
  /** Registry per zone, polled directly (not through its proxy): `{ 'zone-a': 'http://127.0.0.1:8761' }`. */
  readonly registryUrls: Readonly<Record<string, string>>;
  /** Needed only by `kill` faults; absent against a mesh the runner does not own. */
  readonly processes?: ProcessControl;
}

/** Kills and restarts mesh processes by instance name (`catalog-zone-a-1`). */
export interface ProcessControl {
  kill(instance: string, signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Starts the instance again and resolves once it is ready (serving, not necessarily registered). */
  restart(instance: string): Promise<void>;
  /** Every instance name that can be killed. */
  list(): string[];
}
