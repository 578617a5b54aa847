import { describe, expect, it } from 'vitest';
import { Interner } from './interner.js';

describe('Interner', () => {
  it('hands out the first copy of an equal value and stays bounded in entries and key length', () => {
    const interner = new Interner<{ name: string }>(2);
    const first = interner.get('a', () => ({ name: 'a' }));
    expect(interner.get('a', () => ({ name: 'a' }))).toBe(first);
    interner.get('b', () => ({ name: 'b' }));
    const third = interner.get('c', () => ({ name: 'c' }));
    expect(interner.get('c', () => ({ name: 'c' }))).not.toBe(third);
    expect(interner.size).toBe(2);
    const long = new Interner<string>();
    long.get('x'.repeat(10_000), () => 'big');
    expect(long.size).toBe(0);
  });
});
