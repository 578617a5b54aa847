import { describe, expect, it } from 'vitest';
import { parseInstanceName, zoneOfInstance } from './instance-name.js';
import { describeSelector, selectTargets } from './target-selector.js';

const PROXIES = [
  'catalog-zone-a-1',
  'catalog-zone-a-2',
  'catalog-zone-b-1',
  'pricing-v1-zone-a-1',
  'pricing-v2-zone-a-1',
  'pricing-v2-zone-b-1',
  'inventory-zone-b-2',
  'inventory-zone-b-2-health',
  'registry-zone-a',
  'registry-zone-b',
];

describe('instance names', () => {
  it('splits service, version, zone and index as the contract spells them', () => {
    expect(parseInstanceName('pricing-v2-zone-b-12')).toEqual({ name: 'pricing-v2-zone-b-12', instance: 'pricing-v2-zone-b-12', service: 'pricing', version: 'v2', zone: 'zone-b', index: 12 });
    expect(parseInstanceName('registry-zone-a')).toEqual({ name: 'registry-zone-a', instance: 'registry-zone-a', service: 'registry', zone: 'zone-a' });
    expect(parseInstanceName('inventory-zone-a-2-health')).toEqual({
      name: 'inventory-zone-a-2-health',
      instance: 'inventory-zone-a-2',
      service: 'inventory',
      zone: 'zone-a',
      index: 2,
      port: 'health',
    });
    expect(zoneOfInstance('catalog-eu-west-1a-3')).toBe('eu-west-1a');
    expect(parseInstanceName('gateway')).toBeUndefined();
  });
});

describe('selectTargets', () => {
  it('selects a whole zone of several services, registries excluded', () => {
    expect(selectTargets({ zone: ['zone-a'], service: ['catalog', 'pricing'] }, PROXIES)).toEqual([
      'catalog-zone-a-1',
      'catalog-zone-a-2',
      'pricing-v1-zone-a-1',
      'pricing-v2-zone-a-1',
    ]);
  });

  it('matches a service with or without its version', () => {
    expect(selectTargets({ service: ['pricing-v2'] }, PROXIES)).toEqual(['pricing-v2-zone-a-1', 'pricing-v2-zone-b-1']);
    expect(selectTargets({ service: ['registry'], zone: ['zone-a'] }, PROXIES)).toEqual(['registry-zone-a']);
  });

  it('expands instance globs and combines them with the other parts', () => {
    expect(selectTargets({ instance: ['*-zone-b-?'] }, PROXIES)).toEqual(['catalog-zone-b-1', 'inventory-zone-b-2', 'pricing-v2-zone-b-1']);
    expect(selectTargets({ instance: ['catalog-*'], zone: ['zone-b'] }, PROXIES)).toEqual(['catalog-zone-b-1']);
    // A dot in a name is literal, not "any character".
    expect(selectTargets({ instance: ['catalog.zone-a-1'] }, PROXIES)).toEqual([]);
  });

  it('leaves health proxies out unless port says health (or any): existing scenarios keep their targets', () => {
    expect(selectTargets({ service: ['inventory'] }, PROXIES)).toEqual(['inventory-zone-b-2']);
    expect(selectTargets({ instance: ['*-zone-b-?'] }, PROXIES)).not.toContain('inventory-zone-b-2-health');
    expect(selectTargets({ zone: ['zone-b'], service: ['inventory'], port: 'health' }, PROXIES)).toEqual(['inventory-zone-b-2-health']);
    // An instance glob names the instance; port picks which of its proxies.
    expect(selectTargets({ instance: ['inventory-zone-b-2'], port: 'health' }, PROXIES)).toEqual(['inventory-zone-b-2-health']);
    expect(selectTargets({ instance: ['inventory-zone-b-2'], port: 'any' }, PROXIES)).toEqual(['inventory-zone-b-2', 'inventory-zone-b-2-health']);
    expect(selectTargets({ service: ['catalog'], port: 'health' }, PROXIES)).toEqual([]);
    expect(describeSelector({ zone: ['zone-a'], service: ['inventory'], port: 'health' })).toBe('zone=zone-a service=inventory port=health');
  });
});
