import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from './workspace.js';

/**
 * The layout's rules are enforced, not just written down: the Nx boundary
 * rule rejects a lib importing an app, libs/lb importing anything of the
 * mesh, and an app importing another app.
 */
describe('module boundaries', () => {
  let eslint: ESLint;

  beforeAll(() => {
    // The rule reads Nx's cached project graph; without it, it silently skips.
    execFileSync(process.execPath, [join(WORKSPACE_ROOT, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'], {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, NX_DAEMON: 'false' },
      stdio: 'ignore',
    });
    eslint = new ESLint({ cwd: WORKSPACE_ROOT });
  }, 60_000);

  const boundaryErrors = async (file: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: join(WORKSPACE_ROOT, file) });
    return result!.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
  };

  it('libs/lb may not depend on anything of the mesh', async () => {
    expect(await boundaryErrors('libs/lb/src/probe.ts', "import { createMetricsRegistry } from '@zonemesh/telemetry';\nexport const x = createMetricsRegistry;\n")).toEqual([
      'A project tagged with "scope:lb" can only depend on libs tagged with "scope:lb", "scope:config"',
    ]);
  });

  it('libs/lb may depend on libs/config, and libs/config on nothing of ours', async () => {
    expect(await boundaryErrors('libs/lb/src/probe.ts', "import { readObject } from '@zonemesh/config';\nexport const x = readObject;\n")).toEqual([]);
    expect(await boundaryErrors('libs/config/src/probe.ts', "import { createMetricsRegistry } from '@zonemesh/telemetry';\nexport const x = createMetricsRegistry;\n")).toEqual([
      'A project tagged with "scope:config" can only depend on libs tagged with "scope:config"',
    ]);
  });

  it('a lib may depend on libs but not on an app', async () => {
    expect(await boundaryErrors('libs/chaos/src/probe.ts', "import { parseStaticTarget } from '@zonemesh/lb';\nexport const x = parseStaticTarget;\n")).toEqual([]);
    const errors = await boundaryErrors('libs/chaos/src/probe.ts', "import '@zonemesh/gateway';\n");
    expect(errors.join('\n')).toMatch(/can only depend on libs tagged with "type:lib"|Imports of apps are forbidden/);
  });

  it('an app may not import another app', async () => {
    const errors = await boundaryErrors('apps/gateway/src/probe.ts', "import '@zonemesh/registry';\n");
    expect(errors.length).toBeGreaterThan(0);
  });
}, 120_000);
