import type { EndpointChild } from '../policy/endpoint-child.js';

/**
 * One link of the chain that decides which endpoints take traffic, in the
 * spirit of Spring Cloud LoadBalancer's ServiceInstanceListSupplier: each
 * link wraps its delegate and states its fallback. The chain runs when the
 * balancer rebuilds its picker (endpoint, health or outlier changes), never
 * per call.
 */
export interface InstanceListSupplier<T = readonly EndpointChild[]> {
  get(): T;
}

/** Which endpoints take traffic now: the caller's zone, a spill to others, or panic. */
export type ZoneTier = 'local' | 'spill' | 'remote' | 'panic' | 'none';

/** A group of endpoints of one zone and the share of calls it receives. */
export interface ZoneLevel {
  /** The zone, or undefined for endpoints without one (and for a panic pool over all zones). */
  readonly zone: string | undefined;
  /** 0..1; the loads of a plan add up to 1 when it has levels. */
  readonly load: number;
  /** READY endpoints that may take calls. */
  readonly endpoints: readonly EndpointChild[];
}

/** The end of the chain: what the picker balances over. */
export interface ZonePlan {
  readonly tier: ZoneTier;
  readonly panic: boolean;
  /** Share of calls leaving the caller's zone (0 without a caller zone). */
  readonly spillShare: number;
  /** Healthy endpoints / all endpoints of the list (0..1), the panic input. */
  readonly healthyShare: number;
  readonly levels: readonly ZoneLevel[];
}
