import { fileURLToPath } from 'node:url';
import { readdirSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Reporter, TestCase } from 'vitest/node';
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

/**
 * CI retries a failed test once: the suite runs real processes on a shared
 * two-core machine, where a stall of a second can fail a timing bound. A
 * test that needed the retry is not hidden: this reporter lists it in
 * `<results>.flaky.json`, and scripts/test-summary.mjs prints every one.
 */
class FlakyReporter implements Reporter {
  private readonly flaky: { file: string; test: string; retries: number; error: string }[] = [];
  constructor(private readonly outputFile: string) {}
  onTestCaseResult(test: TestCase): void {
    const diagnostic = test.diagnostic();
    if (!diagnostic?.flaky) return;
    this.flaky.push({ file: test.module.relativeModuleId, test: test.fullName, retries: diagnostic.retryCount, error: String(test.result().errors?.[0]?.message ?? '') });
  }
  onTestRunEnd(): void {
    writeFileSync(this.outputFile, JSON.stringify(this.flaky, null, 2));
  }
}

const results = process.env.VITEST_RESULTS ?? '.vitest-results.json';

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['{apps,libs}/*/src/**/*.spec.ts', 'libs/*/bench/**/*.spec.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // CI reads the JSON report; VITEST_RESULTS names it per run (Node 20, Node 24).
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: results }], new FlakyReporter(results.replace(/\.json$/, '.flaky.json'))]
      : ['default'],
    retry: process.env.CI ? 1 : 0,
  },
});
