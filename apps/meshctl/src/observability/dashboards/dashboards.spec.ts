import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardQueries, unresolvedVariables } from '../dashboard-queries.js';
import { DASHBOARDS_DIR, renderedDashboards } from '../render-dashboards.js';
import { DASHBOARDS } from './index.js';

describe('dashboards as code', () => {
  it('the committed infra/grafana/dashboards/*.json is exactly what the code renders (run `zonemesh dashboards render`)', async () => {
    const rendered = renderedDashboards();
    const committed = (await readdir(DASHBOARDS_DIR)).filter((f) => f.endsWith('.json')).sort();
    expect(committed).toEqual([...rendered.keys()].sort());
    for (const [file, json] of rendered) expect(await readFile(join(DASHBOARDS_DIR, file), 'utf8'), file).toBe(json);
  });

  it.each(Object.entries(DASHBOARDS))('%s: unique ids, panels inside the 24-column grid and not overlapping', (_name, dashboard) => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const panel of dashboard.panels) {
      const { x, y, w, h } = panel.gridPos;
      expect(x + w, panel.title).toBeLessThanOrEqual(24);
      for (let i = x; i < x + w; i++) {
        for (let j = y; j < y + h; j++) {
          expect(cells.has(`${i},${j}`), `${panel.title} overlaps at ${i},${j}`).toBe(false);
          cells.add(`${i},${j}`);
        }
      }
    }
  });

  it.each(Object.entries(DASHBOARDS))('%s: every query names only its own variables, and every variable is used', (_name, dashboard) => {
    const names = new Set(dashboard.templating.list.map((v) => v.name));
    const queries = dashboardQueries(dashboard);
    expect(queries.length).toBeGreaterThan(0);
    const used = new Set<string>();
    for (const query of queries) {
      for (const v of unresolvedVariables(query.expr.replaceAll('$__rate_interval', ''))) {
        expect(names.has(v), `${query.what} uses undefined $${v}`).toBe(true);
        used.add(v);
      }
      // toxiproxy_proxy_*: the real Toxiproxy's own names, which the embedded fault proxy exports too.
      expect(query.expr, `${query.what}: metrics of the mesh carry the zonemesh_ prefix`).toMatch(/zonemesh_|toxiproxy_proxy_|nodejs_|process_|\bup\b/);
    }
    expect([...names].filter((n) => !used.has(n))).toEqual([]);
  });

  it('panels of every dashboard have a description (the README’s "what it answers")', () => {
    for (const dashboard of Object.values(DASHBOARDS)) {
      for (const panel of dashboard.panels) if (panel.type !== 'row') expect(panel.description.length, panel.title).toBeGreaterThan(10);
    }
  });
});
