import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { toxicTypeNames } from '@zonemesh/toxiproxy';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from './workspace.js';

/** One row of a README's "Behaviour → file" table, its paths relative to the workspace. */
interface MapRow {
  readonly readme: string;
  readonly behaviour: string;
  readonly files: readonly string[];
}

const PROJECTS = ['libs', 'apps'].flatMap((group) =>
  readdirSync(join(WORKSPACE_ROOT, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(WORKSPACE_ROOT, group, entry.name, 'README.md')))
    .map((entry) => `${group}/${entry.name}`),
);

/** Rows of the table under a `## Behaviour → file` heading; its file column lists `backticked` paths. */
function mapRows(project: string): MapRow[] {
  const readme = `${project}/README.md`;
  const text = readFileSync(join(WORKSPACE_ROOT, readme), 'utf8');
  const section = /^## Behaviour → file\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(text)?.[1] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*(behaviour|-)/.test(line))
    .map((line) => {
      const cells = line.split(/(?<!\\)\|/).slice(1, -1);
      const fileCell = cells.at(-1) ?? '';
      return { readme, behaviour: cells[0]!.trim(), files: [...fileCell.matchAll(/`([^`]+)`/g)].map((m) => `${project}/${m[1]}`) };
    });
}

/** Whether `path` names a file; a `*` in its last part must match at least one. */
function exists(path: string): boolean {
  const name = basename(path);
  if (!name.includes('*')) return existsSync(join(WORKSPACE_ROOT, path));
  const pattern = new RegExp(`^${name.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
  const dir = join(WORKSPACE_ROOT, dirname(path));
  return existsSync(dir) && readdirSync(dir).some((entry) => pattern.test(entry));
}

const ROWS = PROJECTS.flatMap(mapRows);

/** Rows naming `behaviour` (a pattern on the behaviour column), with their files. */
const rowsFor = (behaviour: RegExp) => ROWS.filter((row) => behaviour.test(row.behaviour));

describe('README behaviour → file maps', () => {
  it('have rows, each naming at least one file', () => {
    expect(ROWS.length).toBeGreaterThan(50);
    expect(ROWS.filter((row) => row.files.length === 0)).toEqual([]);
  });

  it('name only files that exist', () => {
    const missing = ROWS.flatMap((row) => row.files.filter((file) => !exists(file)).map((file) => `${row.readme}: ${row.behaviour}: ${file}`));
    expect(missing).toEqual([]);
  });

  // Issue 15's list: where each of these lives must be findable from the READMEs.
  it.each([
    ['zone preference', /zone preference/, 'libs/lb/src/zone/zone-failover.supplier.ts'],
    ['the failed-instance cache', /failed-instance cache/, 'libs/lb/src/zone/failed-instance.cache.ts'],
    ['outlier detection', /outlier detection/, 'libs/lb/src/outlier/outlier-detector.ts'],
    ['health checks', /active health checks/, 'libs/lb/src/health/active-health-checker.ts'],
    ['retry and budgets', /retries and retry budgets/, 'libs/lb/src/retry/windowed-retry-budget.ts'],
    ['the supplier chain', /supplier chain/, 'libs/lb/src/supplier/subset-pick.builder.ts'],
    ['replication', /^replication/, 'apps/registry/src/replication/replication-fan-out.ts'],
    ['the scenario runner', /scenario runner/, 'libs/chaos/src/runner/scenario-runner.ts'],
    ['assertions', /^assertions/, 'libs/chaos/src/assertions/assertion-evaluator.ts'],
  ])('name the file of %s', (_name, behaviour, file) => {
    expect(rowsFor(behaviour).flatMap((row) => row.files)).toContain(file);
  });

  it('name the file of every toxic the embedded Toxiproxy registers', () => {
    const names = toxicTypeNames();
    expect(names.length).toBeGreaterThan(5);
    const unmapped = names.filter((name) => !rowsFor(new RegExp(`^toxic \`${name}\``)).some((row) => row.files.some((file) => file.endsWith('.toxic.ts'))));
    expect(unmapped).toEqual([]);
  });
});
