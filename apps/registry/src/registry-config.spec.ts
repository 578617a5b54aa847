import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryConfigError, parseRegistryConfig } from './registry-config.js';
import { AUTH_OFF } from './registry-auth.js';
import { DEFAULT_REGISTRY_LIMITS } from './registry-limits.js';
import { HTTP_SERVER_LIMITS } from '@zonemesh/runtime/http-server-limits';

const DEFAULT_BOUNDS = { limits: DEFAULT_REGISTRY_LIMITS, httpLimits: HTTP_SERVER_LIMITS };

describe('parseRegistryConfig', () => {
  it('uses defaults when nothing is given', () => {
    expect(parseRegistryConfig([], {})).toEqual({ zone: 'zone-a', host: '127.0.0.1', port: 8761, peers: [], profile: 'fast', auth: AUTH_OFF, ...DEFAULT_BOUNDS });
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
      auth: AUTH_OFF,
      ...DEFAULT_BOUNDS,
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

  it('reads users, a users file and the peer credential from the environment', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'registry-auth-')), 'users');
    writeFileSync(file, '# one a line\nops:with,comma\n\n');
    const config = parseRegistryConfig(['--peer', 'http://peer:pw@127.0.0.1:8762/eureka'], {
      ZONEMESH_REGISTRY_USERS: 'a:1, b:2',
      ZONEMESH_REGISTRY_USERS_FILE: file,
      ZONEMESH_REGISTRY_PEER_CREDENTIALS: 'peer:pw',
      ZONEMESH_REGISTRY_AUTH_READS: 'true',
    });
    expect(config.auth).toEqual({ users: ['a:1', 'b:2', 'ops:with,comma'], peer: 'peer:pw', protectReads: true });
  });

  it.each([
    [{ ZONEMESH_REGISTRY_USERS: 'nopassword' }, [], 'ZONEMESH_REGISTRY_USERS: expected user:pass (both non-empty), got an entry of 10 characters'],
    [{ ZONEMESH_REGISTRY_USERS: ':pw' }, [], 'ZONEMESH_REGISTRY_USERS: expected user:pass'],
    [{ ZONEMESH_REGISTRY_PEER_CREDENTIALS: 'peer:' }, [], 'ZONEMESH_REGISTRY_PEER_CREDENTIALS: expected user:pass'],
    [{ ZONEMESH_REGISTRY_USERS_FILE: '/nonexistent/users' }, [], 'ZONEMESH_REGISTRY_USERS_FILE: cannot read /nonexistent/users (ENOENT)'],
    [{ ZONEMESH_REGISTRY_AUTH_READS: 'true' }, [], 'ZONEMESH_REGISTRY_AUTH_READS: needs ZONEMESH_REGISTRY_USERS'],
    [{ ZONEMESH_REGISTRY_AUTH_READS: 'maybe', ZONEMESH_REGISTRY_USERS: 'a:b' }, [], 'ZONEMESH_REGISTRY_AUTH_READS: expected true or false, got "maybe"'],
    [{ ZONEMESH_REGISTRY_USERS: 'a:b' }, ['--peer', 'http://127.0.0.1:8762/eureka'], 'ZONEMESH_REGISTRY_PEER_CREDENTIALS: required when users are set'],
  ])('rejects bad credentials settings without echoing a password: %j', (env, argv, message) => {
    expect(() => parseRegistryConfig(argv, env)).toThrow(RegistryConfigError);
    expect(() => parseRegistryConfig(argv, env)).toThrow(message);
  });

  it('never echoes the password of a bad peer URL', () => {
    expect(() => parseRegistryConfig(['--peer', 'ftp://u:hunter2@host/eureka'], {})).toThrow('got "ftp://***@host/eureka"');
  });

  it('reads limits from the environment and names the variable of a bad one', () => {
    const config = parseRegistryConfig([], { ZONEMESH_REGISTRY_MAX_INSTANCES: '60000', ZONEMESH_HTTP_MAX_CONNECTIONS: '50' });
    expect(config.limits).toEqual({ ...DEFAULT_REGISTRY_LIMITS, maxInstances: 60_000 });
    expect(config.httpLimits.maxConnections).toBe(50);
    expect(() => parseRegistryConfig([], { ZONEMESH_REGISTRY_MAX_BATCH_ITEMS: '0' })).toThrow(
      'ZONEMESH_REGISTRY_MAX_BATCH_ITEMS: expected a positive whole number, got "0"',
    );
    expect(() => parseRegistryConfig([], { ZONEMESH_HTTP_IDLE_TIMEOUT: 'soon' })).toThrow(RegistryConfigError);
  });
});
