import { fileURLToPath } from 'node:url';
import { readdirSync, existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Tests import libraries from source, never from a possibly stale dist/.
const libsDir = fileURLToPath(new URL('./libs/', import.meta.url));
const alias = readdirSync(libsDir)
  .filter((name) => existsSync(`${libsDir}${name}/src/index.ts`))
  .map((name) => ({ find: new RegExp(`^@zonemesh/${name}$`), replacement: `${libsDir}${name}/src/index.ts` }));

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['{apps,libs}/*/src/**/*.spec.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-results.json' }]] : ['default'],
  },
});
