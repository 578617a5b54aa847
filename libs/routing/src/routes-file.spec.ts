import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultRoutes } from './default-routes.js';
import { loadRoutesFile } from './routes-file.js';

const meshYaml = fileURLToPath(new URL('../../../mesh.yaml', import.meta.url));

describe('routes file', () => {
  it('the shipped mesh.yaml carries the default routes: header v2 and /api/v2/ to v2, the rest to v1', () => {
    const loaded = loadRoutesFile(meshYaml);
    expect(loaded.source).toBe(meshYaml);
    expect(loaded.routes).toEqual(defaultRoutes());
  });

  it('falls back to the default routes without a file or without a routes section', () => {
    expect(loadRoutesFile(undefined)).toEqual({ routes: defaultRoutes(), source: 'default' });
    const dir = mkdtempSync(join(tmpdir(), 'routes-'));
    writeFileSync(join(dir, 'clusters.yaml'), 'clusters: []\n');
    expect(loadRoutesFile(join(dir, 'clusters.yaml')).source).toBe('default');
  });

  it('names the file and the path of a mistake', () => {
    const dir = mkdtempSync(join(tmpdir(), 'routes-'));
    const file = join(dir, 'mesh.yaml');
    writeFileSync(file, 'routes:\n  - name: r\n    match: { headers: [{ name: x, regex: "(" }] }\n    action: { api_version: v1 }\n');
    expect(() => loadRoutesFile(file)).toThrow(`${file}: routes[0].match.headers[0].regex: invalid regular expression`);
  });

  it('refuses at load time a path regex that would backtrack catastrophically, naming where', () => {
    const dir = mkdtempSync(join(tmpdir(), 'routes-'));
    const file = join(dir, 'mesh.yaml');
    writeFileSync(file, 'routes:\n  - name: r\n    match: { path: { regex: "/api/(a+)+" } }\n    action: { api_version: v1 }\n');
    expect(() => loadRoutesFile(file)).toThrow(`${file}: routes[0].match.path.regex: nested unbounded quantifiers`);
  });

  it('refuses a route to a cluster the gateway has no contract for, naming the ones it can call', () => {
    const dir = mkdtempSync(join(tmpdir(), 'routes-'));
    const file = join(dir, 'mesh.yaml');
    writeFileSync(file, 'routes:\n  - name: r\n    match: { path: { prefix: / } }\n    action: { cluster: pricing, api_version: v1 }\n');
    expect(() => loadRoutesFile(file)).toThrow(`${file}: routes[0].action.cluster: the gateway can route only to catalog (the clusters whose gRPC contract it serves the REST API from), got "pricing"`);
  });
});
