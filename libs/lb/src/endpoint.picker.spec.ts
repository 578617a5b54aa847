import { describe, expect, it } from 'vitest';
import { Metadata, experimental } from '@grpc/grpc-js';
import { EndpointPicker, type PickEntry } from './endpoint.picker.js';

const args: experimental.PickArgs = { metadata: new Metadata(), extraPickInfo: {} };

function entry(key: string, completed: string[]): PickEntry {
  const picker: experimental.Picker = {
    pick: () => ({ pickResultType: experimental.PickResultType.COMPLETE, subchannel: null, status: null, onCallStarted: null, onCallEnded: null }),
  };
  return { key, picker, completePick: (result) => (completed.push(key), result) };
}

function picks(picker: EndpointPicker, count: number, completed: string[]): string[] {
  completed.length = 0;
  for (let i = 0; i < count; i += 1) picker.pick(args);
  return [...completed];
}

describe('EndpointPicker', () => {
  it('goes round the endpoints from its start index', () => {
    const completed: string[] = [];
    const picker = new EndpointPicker([entry('a', completed), entry('b', completed), entry('c', completed)], 1, 'round_robin');
    expect(picks(picker, 4, completed)).toEqual(['b', 'c', 'a', 'b']);
  });

  it('lets a rebuilt picker continue at the endpoint that was next, or at the same position if it left', () => {
    const completed: string[] = [];
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((k) => entry(k, completed));
    const first = new EndpointPicker([a, b, c], 0, 'round_robin');
    picks(first, 2, completed); // next is c
    expect(first.successorStart([d, c, a])).toBe(1);
    expect(first.successorStart([a, b])).toBe(0); // c gone: same position (2) modulo 2
  });

  it('does not complete picks the leaf did not complete', () => {
    const completed: string[] = [];
    const queued: PickEntry = {
      key: 'q',
      picker: new experimental.QueuePicker({ exitIdle: () => undefined } as unknown as experimental.LoadBalancer),
      completePick: (r) => (completed.push('q'), r),
    };
    const result = new EndpointPicker([queued], 0, 'round_robin').pick(args);
    expect(result.pickResultType).toBe(experimental.PickResultType.QUEUE);
    expect(completed).toEqual([]);
  });

  it('picks at random with the random policy', () => {
    const completed: string[] = [];
    const values = [0.9, 0.1, 0.5];
    const picker = new EndpointPicker([entry('a', completed), entry('b', completed), entry('c', completed)], 0, 'random', () => values.shift()!);
    expect(picks(picker, 3, completed)).toEqual(['c', 'a', 'b']);
  });

  it('knows when a rebuild would change nothing', () => {
    const completed: string[] = [];
    const [a, b] = ['a', 'b'].map((k) => entry(k, completed));
    const picker = new EndpointPicker([a, b], 0, 'round_robin');
    expect(picker.hasSameEntries([a, b], 'round_robin')).toBe(true);
    expect(picker.hasSameEntries([a], 'round_robin')).toBe(false);
    expect(picker.hasSameEntries([a, b], 'random')).toBe(false);
  });
});
