import { experimental, type ChannelOptions } from '@grpc/grpc-js';
import { optional, readEnum, readObject, readString } from './config/index.js';

/** The name of the LB policy in a gRPC service config: `{"loadBalancingConfig":[{"zonemesh":{...}}]}`. */
export const ZONEMESH_POLICY = 'zonemesh';

/** How to choose among the endpoints of the preferred zone. */
export type ZonemeshPickPolicy = 'round_robin' | 'random';
export const ZONEMESH_PICK_POLICIES: readonly ZonemeshPickPolicy[] = ['round_robin', 'random'];

/** Typed form of the `zonemesh` LB config. */
export interface ZonemeshLbOptions {
  /** The caller's zone; its endpoints are preferred. Undefined: no preference. */
  readonly zone?: string | undefined;
  /** Default `round_robin`. */
  readonly lbPolicy?: ZonemeshPickPolicy | undefined;
  /** Name shown in `clusterSnapshots()` and lifecycle hooks; default the channel target. */
  readonly cluster?: string | undefined;
}

const FIELDS = ['zone', 'lb_policy', 'cluster'];

/**
 * The `zonemesh` policy's config, parsed from the service config JSON
 * (`{"zone":"zone-a","lb_policy":"round_robin","cluster":"catalog"}`).
 * Errors name the field: `zonemesh.lb_policy: expected one of ...`.
 * grpc-js skips a config that fails to parse and silently falls back to
 * pick_first, so build service configs with `zonemeshChannelOptions()`,
 * which parses eagerly and throws.
 */
export class ZonemeshLoadBalancingConfig implements experimental.TypedLoadBalancingConfig {
  readonly zone: string | undefined;
  readonly lbPolicy: ZonemeshPickPolicy;
  readonly cluster: string | undefined;

  constructor(options: ZonemeshLbOptions = {}) {
    this.zone = options.zone;
    this.lbPolicy = options.lbPolicy ?? 'round_robin';
    this.cluster = options.cluster;
  }

  getLoadBalancerName(): string {
    return ZONEMESH_POLICY;
  }

  toJsonObject(): object {
    return {
      [ZONEMESH_POLICY]: {
        ...(this.zone === undefined ? {} : { zone: this.zone }),
        lb_policy: this.lbPolicy,
        ...(this.cluster === undefined ? {} : { cluster: this.cluster }),
      },
    };
  }

  static createFromJson(obj: unknown): ZonemeshLoadBalancingConfig {
    const node = readObject(obj ?? {}, ZONEMESH_POLICY, FIELDS);
    return new ZonemeshLoadBalancingConfig({
      zone: optional(node.zone, undefined, (v) => readString(v, `${ZONEMESH_POLICY}.zone`)),
      lbPolicy: optional(node.lb_policy, undefined, (v) => readEnum(v, `${ZONEMESH_POLICY}.lb_policy`, ZONEMESH_PICK_POLICIES)),
      cluster: optional(node.cluster, undefined, (v) => readString(v, `${ZONEMESH_POLICY}.cluster`)),
    });
  }
}

/**
 * Channel options selecting the zonemesh policy, e.g. for NestJS
 * `ClientGrpc` `{ url: 'eureka:///CATALOG', channelOptions: zonemeshChannelOptions({ zone: 'zone-a' }) }`.
 * Throws a ConfigError on invalid options (grpc-js would silently ignore them).
 */
export function zonemeshChannelOptions(options: ZonemeshLbOptions): ChannelOptions & { 'grpc.service_config': string } {
  const config = ZonemeshLoadBalancingConfig.createFromJson({
    zone: options.zone,
    lb_policy: options.lbPolicy,
    cluster: options.cluster,
  });
  return { 'grpc.service_config': JSON.stringify({ loadBalancingConfig: [config.toJsonObject()] }) };
}
