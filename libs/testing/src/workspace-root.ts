import { fileURLToPath } from 'node:url';

/** The repository root, from libs/testing/{src,dist}/. */
export const WORKSPACE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
