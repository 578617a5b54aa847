import type { EndpointChild } from '../policy/endpoint-child.js';
import type { InstanceListSupplier } from '../supplier/instance-list.supplier.js';

/**
 * Drops endpoints the outlier detector ejected (passive health: failing
 * responses, connect failures, success-rate outliers).
 * Fallback: an empty list when all are ejected; max_ejection_percent keeps
 * that rare, and the panic supplier covers it.
 */
export class OutlierSupplier implements InstanceListSupplier {
  constructor(private readonly delegate: InstanceListSupplier) {}

  get(): readonly EndpointChild[] {
    return this.delegate.get().filter((e) => !e.ejected);
  }
}
