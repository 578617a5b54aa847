import { describe, expect, it } from 'vitest';
import { regexHazard } from './regex-safety.js';

describe('regexHazard', () => {
  it('accepts the linear patterns routes use', () => {
    for (const ok of ['/api/v[0-9]+/products/.*', '/api/(v1|v2)/products', '[a-z]+-[0-9]{1,3}', '(ab)+', '(a[+*]b)*', 'x{2,5}y', '/(products|reviews)/[0-9]+', '\\(a+\\)+']) {
      expect(regexHazard(ok), ok).toBeUndefined();
    }
  });

  it('refuses nested unbounded quantifiers and quantified alternations', () => {
    expect(regexHazard('(a+)+')).toMatch(/nested unbounded quantifiers/);
    expect(regexHazard('/api/((x*)y)*')).toMatch(/nested unbounded quantifiers/);
    expect(regexHazard('(a|aa)*$')).toMatch(/alternation/);
    expect(regexHazard('(\\w{1,}){2,}')).toMatch(/nested/);
    expect(regexHazard('(?:[a-z]+\\.)+com')).toMatch(/nested/);
  });

  it('refuses what RE2 refuses', () => {
    expect(regexHazard('(a)\\1')).toMatch(/backreferences/);
    expect(regexHazard('/api(?=/v2)')).toMatch(/lookaround/);
    expect(regexHazard('(?<!x)y')).toMatch(/lookaround/);
  });
});
