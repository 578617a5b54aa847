import type { SyncInstance } from '../sync-instance.js';

/** What a source reports: the full current list, or why it could not read one. */
export type InstanceSourceUpdate = { readonly instances: readonly SyncInstance[] } | { readonly error: Error };

/**
 * Where instances to keep registered come from (a file, DNS, Kubernetes).
 * Sources push FULL lists, never diffs, so a missed update heals on the next
 * one. A failing backend is reported as an error update: the syncer then
 * keeps the last good list registered — nothing is dropped because a source
 * failed.
 */
export interface InstanceSource {
  /** `static ./instances.yaml`, `dns _http._tcp.reviews`, ... for logs. */
  readonly description: string;
  start(listener: (update: InstanceSourceUpdate) => void): void;
  stop(): Promise<void>;
}
