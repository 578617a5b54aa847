import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait-for.js';

const LOCK = join(tmpdir(), 'zonemesh-tsc-build.lock');
const STALE_LOCK_MS = 180_000;

/**
 * Runs `tsc -b` on the given tsconfig paths (relative to `cwd`). Spec files
 * run in parallel workers and would otherwise write the same dist/ files at
 * once, so builds are serialised through a lock directory.
 */
export async function buildProjects(tsconfigs: readonly string[], cwd: string): Promise<void> {
  await waitFor(
    () => {
      try {
        mkdirSync(LOCK);
        return true;
      } catch {
        if (Date.now() - statSync(LOCK, { throwIfNoEntry: false })!.mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
        return false;
      }
    },
    { timeoutMs: STALE_LOCK_MS, intervalMs: 100, what: `build lock ${LOCK}` },
  );
  try {
    const tsc = createRequire(join(cwd, 'package.json')).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-b', ...tsconfigs], { cwd, stdio: 'pipe' });
  } catch (error) {
    const out = (error as { stdout?: Buffer }).stdout?.toString() ?? '';
    throw new Error(`tsc -b ${tsconfigs.join(' ')} failed:\n${out || (error as Error).message}`);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
