import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root, from apps/meshctl/{src,dist}/workspace.(ts|js). */
export const WORKSPACE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function appEntryPoint(app: string): string {
  return join(WORKSPACE_ROOT, 'apps', app, 'dist', 'main.js');
}
