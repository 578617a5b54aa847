import type { SubsetPick } from '../policy/zonemesh.picker.js';
import { planSnapshot } from '../admin/cluster-snapshot.builder.js';
import { notifyEvent } from './lb-lifecycle.js';

/** Emits a `zone-plan` lifecycle event whenever a subset's plan (tier, spill share, panic) changes, not on every rebuild. */
export class PlanAnnouncer {
  private readonly lastKeys = new Map<string | undefined, string>();

  announce(cluster: string, plans: ReadonlyMap<string | undefined, SubsetPick>): void {
    for (const [value, pick] of plans) {
      const snap = planSnapshot(pick);
      const key = `${snap.tier}|${snap.spillShare.toFixed(3)}|${snap.panic}`;
      if (this.lastKeys.get(value) === key) continue;
      this.lastKeys.set(value, key);
      notifyEvent({ type: 'zone-plan', cluster, subset: value, tier: snap.tier, spillShare: snap.spillShare, panic: snap.panic, zoneLoads: snap.zoneLoads });
    }
  }
}
