import type { Direction, ToxicDefinition } from './toxic-definition.js';

/** A live link (one connection, one direction) that follows its proxy's toxic chain. */
export interface ToxicChainListener {
  readonly direction: Direction;
  addToxic(toxic: ToxicDefinition): void;
  updateToxic(toxic: ToxicDefinition): void;
  removeToxic(toxic: ToxicDefinition): void;
}

/**
 * The toxics of one proxy, an ordered chain per direction. Every change is
 * pushed to the open links so it applies to existing connections at once.
 */
export class ToxicCollection {
  private readonly chains: Record<Direction, ToxicDefinition[]> = { upstream: [], downstream: [] };
  private readonly links = new Set<ToxicChainListener>();

  /** Upstream toxics first, then downstream, each in creation order (the API's order). */
  list(): ToxicDefinition[] {
    return [...this.chains.upstream, ...this.chains.downstream];
  }

  chain(direction: Direction): readonly ToxicDefinition[] {
    return this.chains[direction];
  }

  find(name: string): ToxicDefinition | undefined {
    return this.list().find((toxic) => toxic.name === name);
  }

  add(toxic: ToxicDefinition): void {
    this.chains[toxic.direction].push(toxic);
    for (const link of this.linksOf(toxic.direction)) link.addToxic(toxic);
  }

  /** Call after mutating `toxic.attributes` / `toxic.toxicity`. */
  updated(toxic: ToxicDefinition): void {
    for (const link of this.linksOf(toxic.direction)) link.updateToxic(toxic);
  }

  remove(toxic: ToxicDefinition): void {
    const chain = this.chains[toxic.direction];
    const index = chain.indexOf(toxic);
    if (index < 0) return;
    chain.splice(index, 1);
    for (const link of this.linksOf(toxic.direction)) link.removeToxic(toxic);
  }

  /** Remove every toxic, flushing what they held (POST /reset). */
  clear(): void {
    for (const toxic of this.list()) this.remove(toxic);
  }

  attach(link: ToxicChainListener): void {
    this.links.add(link);
  }

  detach(link: ToxicChainListener): void {
    this.links.delete(link);
  }

  private linksOf(direction: Direction): ToxicChainListener[] {
    return [...this.links].filter((link) => link.direction === direction);
  }
}
