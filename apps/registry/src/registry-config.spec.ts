import { describe, expect, it } from 'vitest';
import { RegistryConfigError, parseRegistryConfig } from './registry-config.js';

describe('parseRegistryConfig', () => {
  it('uses defaults when nothing is given', () => {
    expect(parseRegistryConfig([], {})).toEqual({ zone: 'zone-a', host: '127.0.0.1', port: 8761, peers: [], profile: 'fast' });
  });

  it('lets flags win over env and reads repeatable --peer', () => {
    const config = parseRegistryConfig(
      ['--zone', 'zone-b', '--port=8762', '--peer', 'http://127.0.0.1:8761/eureka/', '--peer', 'http://127.0.0.1:8763/eureka'],
      { ZONEMESH_ZONE: 'zone-x', ZONEMESH_PORT: '1', ZONEMESH_REGISTRY_PEERS: 'http://ignored', ZONEMESH_REGISTRY_PROFILE: 'eureka' },
    );
    expect(config).toEqual({
      zone: 'zone-b',
      host: '127.0.0.1',
      port: 8762,
      peers: ['http://127.0.0.1:8761/eureka', 'http://127.0.0.1:8763/eureka'],
      profile: 'eureka',
    });
  });

  it('reads comma-separated peers from ZONEMESH_REGISTRY_PEERS', () => {
    const config = parseRegistryConfig([], { ZONEMESH_REGISTRY_PEERS: 'http://a:1/eureka, http://b:2/eureka' });
    expect(config.peers).toEqual(['http://a:1/eureka', 'http://b:2/eureka']);
  });

  it.each([
    [['--port', '70000'], {}, '--port: expected a port number 0-65535, got "70000"'],
    [[], { ZONEMESH_PORT: 'x' }, 'ZONEMESH_PORT: expected a port number 0-65535, got "x"'],
    [['--profile', 'slow'], {}, '--profile: expected one of fast, eureka, got "slow"'],
    [['--peer', 'ftp://x'], {}, '--peer: expected an http(s) URL, got "ftp://x"'],
    [['--zone', 'zone a'], {}, '--zone: expected a zone name like "zone-a", got "zone a"'],
    [['--nope'], {}, 'unknown argument "--nope"'],
    [['--port'], {}, '--port: missing value'],
  ])('rejects %j %j naming the source', (argv, env, message) => {
    expect(() => parseRegistryConfig(argv, env)).toThrow(RegistryConfigError);
    expect(() => parseRegistryConfig(argv, env)).toThrow(message);
  });
});
