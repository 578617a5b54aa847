/** Keys longer than this are not shared: large values are rarely repeated, and the table must stay small. */
const MAX_KEY_LENGTH = 512;

/**
 * Hands out one shared copy of equal values, so 50 000 instances of 100
 * applications hold 100 app names, not 50 000 (strings parsed from request
 * bodies are fresh heap objects each time). Bounded: values come from
 * clients, so once `maxEntries` distinct ones are held new ones pass
 * through unshared, and long keys are never held.
 */
export class Interner<T> {
  private readonly table = new Map<string, T>();

  constructor(private readonly maxEntries = 10_000) {}

  /** The shared copy of the value whose identity is `key` (created by `make` the first time). */
  get(key: string, make: () => T): T {
    const shared = this.table.get(key);
    if (shared !== undefined) return shared;
    const value = make();
    if (this.table.size < this.maxEntries && key.length <= MAX_KEY_LENGTH) this.table.set(key, value);
    return value;
  }

  get size(): number {
    return this.table.size;
  }
}
