import { describe, expect, it } from 'vitest';
import { decodeAppEndpoints } from './eureka-app.decoder.js';

const instance = (id: string, extra: Record<string, unknown> = {}) => ({
  instanceId: id,
  hostName: 'host-name',
  ipAddr: '127.0.0.2',
  status: 'UP',
  port: { $: 7000, '@enabled': 'true' },
  metadata: { zone: 'zone-b', version: 'v2' },
  ...extra,
});

describe('decodeAppEndpoints', () => {
  it('maps UP instances to endpoints sorted by id, with zone from metadata', () => {
    const endpoints = decodeAppEndpoints({
      application: {
        name: 'PRICING',
        instance: [instance('b'), instance('a', { metadata: { '@class': 'java.util.Collections$EmptyMap' } }), instance('c', { status: 'DOWN' })],
      },
    });
    expect(endpoints).toEqual([
      { id: 'a', host: '127.0.0.2', port: 7000, zone: undefined, metadata: {} },
      { id: 'b', host: '127.0.0.2', port: 7000, zone: 'zone-b', metadata: { zone: 'zone-b', version: 'v2' } },
    ]);
  });

  it('accepts a bare instance object, string ports, and falls back to hostName', () => {
    const endpoints = decodeAppEndpoints({ application: { instance: instance('x', { ipAddr: '', port: { $: '7001' } }) } });
    expect(endpoints).toEqual([expect.objectContaining({ id: 'x', host: 'host-name', port: 7001 })]);
  });

  it('rejects a body that is not an application', () => {
    expect(() => decodeAppEndpoints({ applications: {} })).toThrow('expected {"application":{...}}');
  });
});
