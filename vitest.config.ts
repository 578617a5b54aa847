import { fileURLToPath } from 'node:url';
import { readdirSync, existsSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Tests import libraries from source, never from a possibly stale dist/:
// every entry point a lib's package.json exports (`@zonemesh/lb`,
// `@zonemesh/lb/http`...) maps to its `@zonemesh/source` file.
const libsDir = fileURLToPath(new URL('./libs/', import.meta.url));
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const alias = readdirSync(libsDir)
  .filter((name) => existsSync(`${libsDir}${name}/package.json`))
  .flatMap((name) => {
    const exports = JSON.parse(readFileSync(`${libsDir}${name}/package.json`, 'utf8')).exports ?? {};
    return Object.entries(exports as Record<string, { '@zonemesh/source'?: string }>)
      .filter(([, target]) => target['@zonemesh/source'] !== undefined)
      .map(([subpath, target]) => ({
        find: new RegExp(`^${escape(`@zonemesh/${name}${subpath.slice(1)}`)}$`),
        replacement: `${libsDir}${name}/${target['@zonemesh/source']!.replace(/^\.\//, '')}`,
      }));
  });

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['{apps,libs}/*/src/**/*.spec.ts', 'libs/*/bench/**/*.spec.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // CI reads the JSON report; VITEST_RESULTS names it per run (Node 20, Node 24).
    reporters: process.env.CI ? ['default', ['json', { outputFile: process.env.VITEST_RESULTS ?? '.vitest-results.json' }]] : ['default'],
  },
});
