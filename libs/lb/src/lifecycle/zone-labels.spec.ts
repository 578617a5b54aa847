import { describe, expect, it } from 'vitest';
import { OTHER_ZONE, ZoneLabels } from './zone-labels.js';

const randomZone = (i: number) => `zone-${i}-${Math.random().toString(36).slice(2, 10)}`;

describe('ZoneLabels', () => {
  it('keeps the known zones and labels 100,000 made-up ones `other`', () => {
    const labels = new ZoneLabels(['zone-a', 'zone-b']);
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(labels.label(randomZone(i)));
    expect([...seen]).toEqual([OTHER_ZONE]);
    expect(labels.label('zone-a')).toBe('zone-a');
    expect(labels.label(undefined)).toBe('');
  });

  it('without known zones keeps the first 16 seen and no more', () => {
    const labels = new ZoneLabels();
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(labels.label(randomZone(i)));
    expect(seen.size).toBe(17);
    expect(seen.has(OTHER_ZONE)).toBe(true);
    expect(labels.label('zone-0-late')).toBe(OTHER_ZONE);
  });
});
