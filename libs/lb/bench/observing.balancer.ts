import { experimental, type ChannelOptions, type connectivityState } from '@grpc/grpc-js';

/** The name of the wrapper policy in a service config: `{"zonemesh_bench_observe":{"child_policy":[...]}}`. */
export const OBSERVE_POLICY = 'zonemesh_bench_observe';

/** Receives the address of every completed pick (each call attempt), whatever policy made it. */
export type PickObserver = (address: string) => void;

const observers = new Map<string, PickObserver>();

/** Routes the picks of channels whose wrapper config names `key` to `observer`; returns the removal. */
export function observePicks(key: string, observer: PickObserver): () => void {
  observers.set(key, observer);
  return () => observers.delete(key);
}

class ObserveConfig implements experimental.TypedLoadBalancingConfig {
  constructor(
    readonly key: string,
    readonly child: experimental.TypedLoadBalancingConfig,
  ) {}
  getLoadBalancerName(): string {
    return OBSERVE_POLICY;
  }
  toJsonObject(): object {
    return { [OBSERVE_POLICY]: { key: this.key, child_policy: [this.child.toJsonObject()] } };
  }
  static createFromJson(obj: { key?: unknown; child_policy?: unknown }): ObserveConfig {
    if (typeof obj.key !== 'string') throw new Error(`${OBSERVE_POLICY}.key: expected a string`);
    const child = Array.isArray(obj.child_policy) ? experimental.selectLbConfigFromList(obj.child_policy) : null;
    if (!child) throw new Error(`${OBSERVE_POLICY}.child_policy: no valid recognized policy found`);
    return new ObserveConfig(obj.key, child);
  }
}

class ObservingPicker implements experimental.Picker {
  constructor(
    private readonly child: experimental.Picker,
    private readonly key: string,
  ) {}
  pick(args: experimental.PickArgs): experimental.PickResult {
    const result = this.child.pick(args);
    if (result.pickResultType === experimental.PickResultType.COMPLETE && result.subchannel) {
      observers.get(this.key)?.(result.subchannel.getAddress());
    }
    return result;
  }
}

/**
 * A pass-through policy around any other (zonemesh, round_robin,
 * outlier_detection) that reports where each call attempt was sent: the
 * failover bench needs the same attempt-level view of every policy, and only
 * ours has lifecycle hooks. Bench-only; costs one map lookup per pick.
 */
class ObservingLoadBalancer implements experimental.LoadBalancer {
  private readonly child: experimental.ChildLoadBalancerHandler;
  private key = '';

  constructor(helper: experimental.ChannelControlHelper) {
    this.child = new experimental.ChildLoadBalancerHandler(
      experimental.createChildChannelControlHelper(helper, {
        updateState: (state: connectivityState, picker: experimental.Picker, errorMessage: string | null) =>
          helper.updateState(state, new ObservingPicker(picker, this.key), errorMessage),
      }),
    );
  }
  updateAddressList(
    endpoints: experimental.StatusOr<experimental.Endpoint[]>,
    config: experimental.TypedLoadBalancingConfig,
    options: ChannelOptions,
    resolutionNote: string,
  ): boolean {
    if (!(config instanceof ObserveConfig)) return false;
    this.key = config.key;
    return this.child.updateAddressList(endpoints, config.child, options, resolutionNote);
  }
  exitIdle(): void {
    this.child.exitIdle();
  }
  resetBackoff(): void {
    this.child.resetBackoff();
  }
  destroy(): void {
    this.child.destroy();
  }
  getTypeName(): string {
    return OBSERVE_POLICY;
  }
}

let registered = false;

export function setupObservingBalancer(): void {
  if (registered) return;
  registered = true;
  experimental.registerLoadBalancerType(OBSERVE_POLICY, ObservingLoadBalancer, ObserveConfig);
}
