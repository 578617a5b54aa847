import { describe, expect, it } from 'vitest';
import { connectivityState } from '@grpc/grpc-js';
import { preferLocalZone } from './zone-preference.js';

const { READY, CONNECTING, TRANSIENT_FAILURE } = connectivityState;
const ep = (name: string, local: boolean, connectivity: connectivityState) => ({ name, local, connectivity });

describe('preferLocalZone', () => {
  it('returns only the READY endpoints of the caller zone while it has one', () => {
    const result = preferLocalZone([ep('a1', true, READY), ep('a2', true, CONNECTING), ep('b1', false, READY)]);
    expect(result.tier).toBe('local');
    expect(result.ready.map((e) => e.name)).toEqual(['a1']);
  });

  it('falls back to the READY endpoints of other zones when none of the caller zone is READY', () => {
    const result = preferLocalZone([ep('a1', true, TRANSIENT_FAILURE), ep('b1', false, READY), ep('b2', false, CONNECTING)]);
    expect(result.tier).toBe('remote');
    expect(result.ready.map((e) => e.name)).toEqual(['b1']);
  });

  it('returns nothing when no endpoint is READY', () => {
    expect(preferLocalZone([ep('a1', true, CONNECTING), ep('b1', false, TRANSIENT_FAILURE)])).toEqual({ tier: 'none', ready: [] });
  });
});
