import { describe, expect, it } from 'vitest';
import { sliceOffsets } from './slicer.toxic.js';

describe('sliceOffsets', () => {
  it('covers the chunk exactly with pieces near the average size', () => {
    for (const [average, variation] of [
      [1, 0],
      [10, 0],
      [10, 4],
      [64, 63],
    ]) {
      for (const size of [1, 2, 21, 1000, 4096]) {
        const pieces = sliceOffsets(size, average, variation);
        expect(pieces[0][0]).toBe(0);
        expect(pieces.at(-1)![1]).toBe(size);
        for (let i = 1; i < pieces.length; i++) expect(pieces[i][0]).toBe(pieces[i - 1][1]);
        for (const [start, end] of pieces) {
          expect(end).toBeGreaterThan(start);
          expect(end - start).toBeLessThanOrEqual(average + variation);
        }
      }
    }
  });

  it('leaves chunks no bigger than the average whole', () => {
    expect(sliceOffsets(8, 10, 2)).toEqual([[0, 8]]);
  });
});
