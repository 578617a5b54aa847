import type { EndpointChild } from '../policy/endpoint-child.js';
import type { InstanceListSupplier } from './instance-list.supplier.js';

/**
 * The endpoints of one subset: metadata `<key>` equals `<value>` (e.g.
 * `version=v2`). The balancer builds one chain per subset value.
 * Fallback: none on purpose — an empty subset fails the call with
 * UNAVAILABLE "no endpoint for version=v3" instead of routing to another
 * version behind the caller's back.
 */
export class SubsetSupplier implements InstanceListSupplier {
  constructor(
    private readonly delegate: InstanceListSupplier,
    private readonly key: string,
    private readonly value: string,
  ) {}

  get(): readonly EndpointChild[] {
    return this.delegate.get().filter((e) => e.info.metadata[this.key] === this.value);
  }
}
