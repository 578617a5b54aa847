import { experimental } from '@grpc/grpc-js';
import type { ZonemeshPickPolicy } from './zonemesh.config.js';

/** What the picker needs of an endpoint: its key, its leaf's picker, and a hook wrapper. */
export interface PickEntry {
  readonly key: string;
  readonly picker: experimental.Picker;
  completePick(result: experimental.PickResult): experimental.PickResult;
}

/**
 * An immutable snapshot of the endpoints that take traffic, rebuilt by the
 * balancer on every relevant state change; only the round-robin cursor moves.
 * `pick()` is synchronous and does no more than index into an array.
 */
export class EndpointPicker implements experimental.Picker {
  private next: number;

  constructor(
    readonly entries: readonly PickEntry[],
    startIndex: number,
    private readonly policy: ZonemeshPickPolicy,
    private readonly random: () => number = Math.random,
  ) {
    if (entries.length === 0) throw new Error('EndpointPicker needs at least one endpoint');
    this.next = ((startIndex % entries.length) + entries.length) % entries.length;
  }

  pick(pickArgs: experimental.PickArgs): experimental.PickResult {
    let index: number;
    if (this.policy === 'random') {
      index = (this.random() * this.entries.length) | 0;
    } else {
      index = this.next;
      this.next = index + 1 === this.entries.length ? 0 : index + 1;
    }
    const entry = this.entries[index];
    const result = entry.picker.pick(pickArgs);
    return result.pickResultType === experimental.PickResultType.COMPLETE ? entry.completePick(result) : result;
  }

  /** The key the next round-robin pick will use, so a rebuilt picker can continue from it. */
  peekNextKey(): string {
    return this.entries[this.next].key;
  }

  get nextIndex(): number {
    return this.next;
  }

  /**
   * Where a successor over `entries` should start: at the endpoint this picker
   * would have picked next, or at the same position if that one is gone.
   */
  successorStart(entries: readonly PickEntry[]): number {
    const nextKey = this.peekNextKey();
    const found = entries.findIndex((e) => e.key === nextKey);
    return found >= 0 ? found : this.next % entries.length;
  }

  /** True when `entries` would make a picker identical to this one. */
  hasSameEntries(entries: readonly PickEntry[], policy: ZonemeshPickPolicy): boolean {
    return (
      policy === this.policy &&
      entries.length === this.entries.length &&
      entries.every((e, i) => e.key === this.entries[i].key && e.picker === this.entries[i].picker)
    );
  }
}
