/**
 * The validated form of a chaos scenario YAML file. Durations are
 * milliseconds, relative to the start of the load (t = 0).
 */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly steadyState?: SteadyState;
  readonly load: LoadSpec;
  readonly steps: readonly Step[];
  readonly assertions: readonly Assertion[];
  /** Factor applied to load.duration, step times and the steady-state window by `--short`. */
  readonly shortFactor: number;
}

/** Hypothesis checked over `windowMs` before the first fault and over the last `windowMs` of the run. */
export interface SteadyState {
  readonly windowMs: number;
  readonly maxErrorRate?: number;
  readonly maxP99Ms?: number;
  readonly share?: ShareCondition;
}

/** "At least `min` (at most `max`) of the calls of `service` were served in `zone`". */
export interface ShareCondition {
  /** catalog, pricing, inventory; undefined counts every hop of every answer. */
  readonly service?: string;
  readonly zone: string;
  readonly min?: number;
  readonly max?: number;
  /**
   * Answers with these statuses are left out of the share (`except_status`):
   * calls a circuit breaker shed by design (429) were served nowhere, and
   * their own bound is an error_rate assertion's.
   */
  readonly exceptStatus?: readonly number[];
}

export interface RequestShape {
  /** Path with `{id}` replaced by a product id, e.g. `/api/products/{id}`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly weight: number;
}

/**
 * Open-loop load: `rate` requests per second for `durationMs`, whatever the
 * answers take; or, with `callers`, a closed loop of that many callers.
 */
export interface LoadSpec {
  /** Requests per second (open loop); 0 with `callers`. */
  readonly rate: number;
  /**
   * Closed loop instead: this many callers, each sending its next request as
   * soon as the previous one answered, so exactly this many calls are in
   * flight at every instant (the burst a zone kill meets).
   */
  readonly callers?: number;
  readonly durationMs: number;
  /**
   * Unmeasured load of the same shape before t = 0 (default 0). A mesh
   * that has just started runs cold JIT code at a fraction of its warm
   * throughput, and a closed loop of many callers would meet a slow zone the
   * latency spill rightly sheds: the steady state would describe start-up,
   * not the system. Not scaled by the short form: warming takes what it takes.
   */
  readonly warmupMs: number;
  readonly timeoutMs: number;
  /** Keep-alive connections of the client's pool. */
  readonly connections: number;
  readonly mix: readonly RequestShape[];
}

/** Picks Toxiproxy proxies (or processes) by name parts; every given part must match. */
export interface TargetSelector {
  readonly zone?: readonly string[];
  /** `pricing` matches every version; `pricing-v2` only v2. */
  readonly service?: readonly string[];
  /** Globs on the whole name: `catalog-zone-a-*`. */
  readonly instance?: readonly string[];
  /**
   * Which proxies of an instance: `traffic` (default) its own, `health` the
   * one of its separate health port (`<instance>-health`), `any` both.
   */
  readonly port?: 'traffic' | 'health' | 'any';
}

export const TOXIC_FAULTS = ['latency', 'timeout', 'reset_peer', 'bandwidth', 'limit_data'] as const;
export const FAULT_TYPES = ['down', ...TOXIC_FAULTS, 'kill'] as const;
export type FaultType = (typeof FAULT_TYPES)[number];
export type ToxicFaultType = (typeof TOXIC_FAULTS)[number];

export type Fault =
  | { readonly type: 'down'; readonly targets: TargetSelector }
  | {
      readonly type: ToxicFaultType;
      readonly targets: TargetSelector;
      readonly stream: 'upstream' | 'downstream';
      readonly toxicity: number;
      /** Toxiproxy attributes, already in Toxiproxy's units (ms, KB/s, bytes). */
      readonly attributes: Readonly<Record<string, number>>;
    }
  | {
      readonly type: 'kill';
      readonly targets: TargetSelector;
      readonly signal: 'SIGKILL' | 'SIGTERM';
      /** Restart the killed processes when the step ends. */
      readonly restart: boolean;
    };

export interface Step {
  readonly name: string;
  readonly atMs: number;
  /** The fault is healed at atMs + durationMs. */
  readonly durationMs: number;
  readonly fault: Fault;
}

/** A time window of the run: the whole run, a step's fault window, or the time after a step healed. */
export interface Window {
  readonly during?: string;
  readonly after?: string;
  /** Leading milliseconds of the window to ignore (e.g. the seconds before ejection). */
  readonly skipMs: number;
}

export type Assertion =
  | { readonly kind: 'ejected'; readonly name: string; readonly target: TargetSelector; readonly step: string; readonly withinMs: number }
  | {
      readonly kind: 'share';
      readonly name: string;
      readonly condition: ShareCondition;
      readonly step: string;
      readonly from: 'start' | 'end';
      readonly withinMs: number;
      /** How long the share must keep holding once reached; default: until the reference window ends. */
      readonly holdMs?: number;
    }
  | {
      readonly kind: 'failback';
      readonly name: string;
      readonly condition: ShareCondition;
      readonly step: string;
      readonly withinMs: number;
      readonly holdMs?: number;
    }
  /**
   * The share over a whole window, not slice by slice: for splits that are
   * partial by design (one of two instances out: the zone keeps
   * healthy share / healthy_threshold of the calls, the rest spills), where a
   * per-250 ms-slice bound would judge the randomness of the picker.
   */
  | { readonly kind: 'mean_share'; readonly name: string; readonly condition: ShareCondition; readonly window: Window }
  | { readonly kind: 'error_rate'; readonly name: string; readonly max: number; readonly window: Window; readonly statuses?: StatusFilter }
  | { readonly kind: 'p99'; readonly name: string; readonly maxMs: number; readonly window: Window; readonly statuses?: StatusFilter }
  /**
   * The gateway's circuit breakers for `cluster` (from /admin/clusters):
   * attempts in flight never above `maxInFlight` (and never above the
   * cluster's own max_requests), and refusals (overflow) within bounds.
   */
  | {
      readonly kind: 'circuit_breaker';
      readonly name: string;
      readonly cluster: string;
      readonly maxInFlight?: number;
      readonly minOverflow?: number;
      readonly maxOverflow?: number;
    }
  | {
      readonly kind: 'registry_convergence';
      readonly name: string;
      readonly instances: number;
      /** Registries to judge (default: every polled one). */
      readonly zones?: readonly string[];
      readonly step?: string;
      readonly from: 'start' | 'end';
      readonly withinMs: number;
    }
  | { readonly kind: 'no_eviction'; readonly name: string; readonly instances: number; readonly zones?: readonly string[]; readonly window: Window };

/** Which answers an error_rate or p99 assertion looks at, by HTTP status: only these, or all but these. */
export interface StatusFilter {
  readonly only?: readonly number[];
  readonly except?: readonly number[];
}

export type AssertionKind = Assertion['kind'];
export const ASSERTION_KINDS: readonly AssertionKind[] = [
  'ejected',
  'share',
  'failback',
  'mean_share',
  'error_rate',
  'p99',
  'registry_convergence',
  'no_eviction',
  'circuit_breaker',
];
