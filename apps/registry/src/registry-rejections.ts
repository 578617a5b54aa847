import { Counter, type Registry } from 'prom-client';

/** Why the registry refused a request: authentication or one of its limits (registry-limits.ts). */
export type RejectionReason = string;

/** Counts refused requests as `zonemesh_registry_rejected_total{reason}`; reasons are a fixed set of names. */
export function registryRejectionCounter(registry: Registry): (reason: RejectionReason) => void {
  const counter = new Counter({
    name: 'zonemesh_registry_rejected_total',
    help: 'Requests the registry refused, by reason (unauthorized, forbidden, or the limit exceeded).',
    labelNames: ['reason'],
    registers: [registry],
  });
  return (reason) => counter.inc({ reason });
}
