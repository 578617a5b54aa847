import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PreviewDashboard, PreviewPanel } from '../wire.js';

interface GrafanaPanel {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos?: { w?: number };
  targets?: { expr?: string; legendFormat?: string; instant?: boolean; range?: boolean }[];
  fieldConfig?: { defaults?: { unit?: string; custom?: { stacking?: { mode?: string } } } };
  panels?: GrafanaPanel[];
}

interface GrafanaJson {
  uid: string;
  title: string;
  description?: string;
  panels: GrafanaPanel[];
  templating?: { list?: { name: string; allValue?: string }[] };
}

/**
 * Every variable as "All" (its allValue, `.*` in ours) and Grafana's
 * `$__rate_interval` as four scrape intervals, which is what Grafana uses.
 */
function substitute(expr: string, variables: readonly { name: string; allValue?: string }[], rateInterval: string): string {
  let out = expr.replaceAll('$__rate_interval', rateInterval);
  for (const v of variables) out = out.replace(new RegExp(`\\$\\{${v.name}\\}|\\$${v.name}\\b`, 'g'), () => v.allValue ?? '.*');
  return out;
}

/** Reads the shipped Grafana dashboards (infra/grafana/dashboards/*.json) into what the preview renders. */
export async function loadDashboards(dir: string, rateInterval = '20s'): Promise<PreviewDashboard[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const dashboards: PreviewDashboard[] = [];
  for (const file of files) {
    const json = JSON.parse(await readFile(join(dir, file), 'utf8')) as GrafanaJson;
    const variables = json.templating?.list ?? [];
    const panels: PreviewPanel[] = [];
    const rows: { title: string; panelIds: number[] }[] = [];
    const visit = (panel: GrafanaPanel) => {
      if (panel.type === 'row') {
        rows.push({ title: panel.title, panelIds: [] });
        for (const inner of panel.panels ?? []) visit(inner);
        return;
      }
      const queries = (panel.targets ?? [])
        .filter((t) => typeof t.expr === 'string')
        .map((t) => ({ expr: substitute(t.expr!, variables, rateInterval), ...(t.legendFormat ? { legend: t.legendFormat } : {}), instant: t.instant === true && t.range !== true }));
      if (queries.length === 0) return;
      panels.push({
        id: panel.id,
        title: panel.title,
        ...(panel.description ? { description: panel.description } : {}),
        type: panel.type,
        ...(panel.fieldConfig?.defaults?.unit ? { unit: panel.fieldConfig.defaults.unit } : {}),
        stacked: panel.fieldConfig?.defaults?.custom?.stacking?.mode === 'normal',
        width: panel.gridPos?.w ?? 12,
        queries,
      });
      if (rows.length === 0) rows.push({ title: '', panelIds: [] });
      rows.at(-1)!.panelIds.push(panel.id);
    };
    for (const panel of json.panels) visit(panel);
    dashboards.push({ uid: json.uid, title: json.title, ...(json.description ? { description: json.description } : {}), panels, rows });
  }
  return dashboards;
}
