import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitUrlCredentials } from '@zonemesh/discovery';
import { generateRegistryCredentials, loadOrCreateRegistryCredentials, withCredential } from './registry-credentials.js';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'zonemesh-creds-')), '.zonemesh', 'registry-credentials');

describe('registry credentials of a local mesh', () => {
  it('creates the file readable only by the user, keeps its user credential across starts and renews the peer one', () => {
    const path = tempFile();
    const first = loadOrCreateRegistryCredentials(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe(`${first.user}\n`);
    const second = loadOrCreateRegistryCredentials(path);
    expect(second.user).toBe(first.user);
    expect(second.peer).not.toBe(first.peer);
    expect(second.peer).not.toContain(first.user.split(':')[1]);
  });

  it('replaces a file that holds no usable credential and tightens a loose mode', () => {
    const path = tempFile();
    loadOrCreateRegistryCredentials(path);
    writeFileSync(path, 'garbage\n', { mode: 0o644 });
    const replaced = loadOrCreateRegistryCredentials(path);
    expect(replaced.user).toMatch(/^zonemesh:[A-Za-z0-9_-]{16,}$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('puts a credential into a URL so the discovery client gets it back as Basic auth', () => {
    const { user } = generateRegistryCredentials();
    const url = withCredential('http://127.0.0.1:8761/eureka', user);
    expect(url).toBe(`http://${user}@127.0.0.1:8761/eureka`);
    expect(splitUrlCredentials(url)).toEqual({ url: 'http://127.0.0.1:8761/eureka', authorization: `Basic ${Buffer.from(user).toString('base64')}` });
    expect(withCredential('http://h:1', 'a b:c@d')).toBe('http://a%20b:c%40d@h:1');
  });
});
