import { describe, expect, it } from 'vitest';
import { faultFor, parseFaultRequest, selectorFor } from './fault-request.js';

describe('fault requests from the page', () => {
  it('turns a zone button into the zone-outage selector: the mesh services of the zone, not its registry', () => {
    expect(selectorFor({ zone: 'zone-a' }, ['catalog', 'pricing', 'inventory'])).toEqual({ zone: ['zone-a'], service: ['catalog', 'pricing', 'inventory'] });
    expect(selectorFor({ zone: 'zone-a', service: 'pricing-v2' }, ['catalog'])).toEqual({ zone: ['zone-a'], service: ['pricing-v2'] });
    expect(selectorFor({ instance: 'catalog-zone-a-1' }, ['catalog'])).toEqual({ instance: ['catalog-zone-a-1'] });
  });

  it('applies the faults the shipped scenarios apply', () => {
    const targets = { zone: ['zone-a'] };
    expect(faultFor('disable', targets)).toEqual({ type: 'down', targets });
    expect(faultFor('crash', targets)).toMatchObject({ type: 'kill', signal: 'SIGKILL', restart: true });
    expect(faultFor('latency', targets)).toMatchObject({ type: 'latency', attributes: { latency: 800 } });
    expect(faultFor('bandwidth', targets)).toMatchObject({ type: 'bandwidth', attributes: { rate: 1 } });
    expect(faultFor('reset', targets)).toMatchObject({ type: 'reset_peer' });
  });

  it.each([
    [null, 'expected a JSON object'],
    [{ action: 'explode', target: { zone: 'zone-a' } }, 'action: expected one of disable, crash, latency, bandwidth, reset, got "explode"'],
    [{ action: 'disable', target: 'zone-a' }, 'target: expected an object'],
    [{ action: 'disable', target: { region: 'eu' } }, 'target.region: unknown field'],
    [{ action: 'disable', target: { zone: '../etc' } }, 'target.zone: expected a name like "zone-a"'],
  ])('refuses %j with a message naming the problem', (body, message) => {
    expect(() => parseFaultRequest(body)).toThrow(message);
  });

  it('refuses a fault on nothing', () => {
    expect(() => selectorFor({}, ['catalog'])).toThrow('target: give an instance, a service, a zone');
  });
});
