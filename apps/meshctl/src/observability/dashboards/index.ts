import { chaosDashboard } from './chaos.dashboard.js';
import type { Dashboard } from './grafana-model.js';
import { loadBalancingDashboard } from './load-balancing.dashboard.js';
import { meshOverviewDashboard } from './mesh-overview.dashboard.js';
import { registryDashboard } from './registry.dashboard.js';

export type * from './grafana-model.js';
export { PROMETHEUS } from './dashboard-builder.js';

/** Every dashboard, keyed by the file name it is rendered to under infra/grafana/dashboards/. */
export const DASHBOARDS: Readonly<Record<string, Dashboard>> = {
  'mesh-overview': meshOverviewDashboard,
  'load-balancing': loadBalancingDashboard,
  registry: registryDashboard,
  chaos: chaosDashboard,
};

/** The committed JSON form: two-space indent and a final newline. */
export function renderDashboardJson(dashboard: Dashboard): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
