import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root, from apps/meshctl/{src,dist}/workspace.(ts|js). */
export const WORKSPACE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The compiled entry of an app; the fault proxy is served by the CLI itself (`zonemesh toxiproxy`). */
export function appEntryPoint(app: string): string {
  return join(WORKSPACE_ROOT, 'apps', app === 'toxiproxy' ? 'meshctl' : app, 'dist', 'main.js');
}
