import { describe, expect, it } from 'vitest';
import { parseYamlSource } from './yaml-source.js';

describe('yaml source', () => {
  const text = ['clusters:', '  - name: a', '    outlier_detection:', '      interval: 10s', '  - name: b', ''].join('\n');

  it('gives the line of every value by its path, undefined for a path that is not written', () => {
    const source = parseYamlSource(text, 'mesh.yaml');
    expect(source.value).toEqual({ clusters: [{ name: 'a', outlier_detection: { interval: '10s' } }, { name: 'b' }] });
    expect(source.lineOf(['clusters', 0, 'outlier_detection', 'interval'])).toBe(4);
    expect(source.lineOf(['clusters', 1, 'name'])).toBe(5);
    expect(source.lineOf(['clusters', 1, 'lb_policy'])).toBeUndefined();
  });

  it('reads JSON too, and names file and line of broken YAML', () => {
    expect(parseYamlSource('{"name": "a"}', 'c.json').value).toEqual({ name: 'a' });
    expect(() => parseYamlSource('a: [1,\nb: 2', 'bad.yaml')).toThrow(/^bad\.yaml:\d+ is not valid YAML: /);
  });
});
