import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from '../workspace.js';
import { DASHBOARDS, renderDashboardJson } from './dashboards/index.js';

/** Where Grafana's dashboard provider reads the rendered JSON from. */
export const DASHBOARDS_DIR = join(WORKSPACE_ROOT, 'infra', 'grafana', 'dashboards');

/** `<name>.json` -> rendered content, for every dashboard. */
export function renderedDashboards(): Map<string, string> {
  return new Map(Object.entries(DASHBOARDS).map(([name, dashboard]) => [`${name}.json`, renderDashboardJson(dashboard)]));
}

/** Writes every dashboard; returns the files whose content changed. */
export async function writeDashboards(dir = DASHBOARDS_DIR): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const changed: string[] = [];
  for (const [file, json] of renderedDashboards()) {
    const path = join(dir, file);
    const before = await readFile(path, 'utf8').catch(() => undefined);
    if (before !== json) {
      await writeFile(path, json);
      changed.push(path);
    }
  }
  return changed;
}
