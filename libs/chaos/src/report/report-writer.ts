import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Journal } from '../journal.js';
import { renderHtmlReport } from './html-report.js';

export interface ReportPaths {
  readonly json: string;
  readonly html: string;
}

/** `zone-outage-2025-01-31T12-00-00-000Z` (+ `-grpc-rr` for a baseline run): sortable, no colons. */
export function reportBaseName(journal: Journal): string {
  const time = journal.startedAt.replace(/[:.]/g, '-');
  return `${journal.scenario.name}-${time}${journal.mode === 'zonemesh' ? '' : `-${journal.mode}`}`;
}

/** Writes the journal as JSON and the HTML report beside it. */
export async function writeReports(journal: Journal, dir: string): Promise<ReportPaths> {
  await mkdir(dir, { recursive: true });
  const base = join(dir, reportBaseName(journal));
  const paths = { json: `${base}.json`, html: `${base}.html` };
  await writeFile(paths.json, `${JSON.stringify(journal, null, 1)}\n`);
  await writeFile(paths.html, renderHtmlReport(journal));
  return paths;
}
