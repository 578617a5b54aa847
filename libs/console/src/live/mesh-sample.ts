import type { Histogram } from './latency-histogram.js';

/** The fields of an /admin/clusters endpoint the console reads (libs/lb EndpointSnapshot; newer fields are optional). */
export interface ViewEndpoint {
  readonly id: string;
  readonly zone?: string;
  readonly state: string;
  readonly health: string;
  readonly outlier?: { readonly ejected: boolean; readonly reason?: string; readonly ejectionCount?: number; readonly ejectedUntil?: string };
  readonly failedInstanceUntil?: string;
  readonly serving: boolean;
  readonly draining?: boolean;
  readonly picks: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly inFlight: number;
}

export interface ViewCluster {
  readonly cluster: string;
  readonly zone?: string;
  readonly tier?: string;
  readonly panic?: boolean;
  readonly endpoints: readonly ViewEndpoint[];
}

/** One caller's load-balancing view: what its /admin/clusters said. */
export interface CallerView {
  readonly caller: string;
  readonly clusters: readonly ViewCluster[];
}

export interface ProxyState {
  readonly enabled: boolean;
  /** Toxic types installed (latency, bandwidth, reset_peer...). */
  readonly toxics: readonly string[];
}

/** Everything the console learnt about the mesh at one moment. */
export interface MeshSample {
  /** Epoch milliseconds. */
  readonly t: number;
  readonly views: readonly CallerView[];
  /** Client call latency per cluster, summed over every caller. */
  readonly latency: ReadonlyMap<string, Histogram>;
  /** By proxy name; undefined when the fault proxy did not answer. */
  readonly proxies: Readonly<Record<string, ProxyState>> | undefined;
  /** Per zone's registry: instance id -> status (UP, DOWN, ...); a registry that did not answer is absent. */
  readonly registries: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Process liveness when the console runs the mesh. */
  readonly processes: Readonly<Record<string, 'running' | 'starting' | 'exited'>> | undefined;
}
