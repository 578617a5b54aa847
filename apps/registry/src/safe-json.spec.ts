import { describe, expect, it } from 'vitest';
import { parseJsonSafely } from './safe-json.js';

describe('parseJsonSafely', () => {
  it('drops literal __proto__ keys and constructor.prototype at any depth, keeping everything else', () => {
    const parsed = parseJsonSafely(
      '{"__proto__":{"polluted":1},"instance":{"metadata":{"__proto__":{"x":1},"constructor":{"prototype":{"polluted":1}},"zone":"a"},"constructor":"kept"}}',
    ) as { instance: { metadata: Record<string, unknown>; constructor: unknown } };
    expect(Object.hasOwn(parsed, '__proto__')).toBe(false);
    expect(Object.keys(parsed.instance.metadata)).toEqual(['zone']);
    // A plain string `constructor` is data, not a prototype path.
    expect(parsed.instance.constructor).toBe('kept');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('is JSON.parse for ordinary input and throws SyntaxError on bad JSON', () => {
    expect(parseJsonSafely('{"a":[1,"b",null]}')).toEqual({ a: [1, 'b', null] });
    expect(() => parseJsonSafely('{"a":')).toThrow(SyntaxError);
  });
});
