import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../scripts/generate.mjs', import.meta.url));
const committed = fileURLToPath(new URL('./generated/', import.meta.url));

function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    files.set(relative(dir, file), readFileSync(file, 'utf8'));
  }
  return files;
}

describe('generated contract types', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'zonemesh-contracts-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('match what the generator produces from proto/ today (run `npm run gen:contracts` if not)', () => {
    execFileSync(process.execPath, [script, outDir], { stdio: 'pipe' });
    const fresh = snapshot(outDir);
    const current = snapshot(committed);

    expect([...current.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [file, text] of fresh) {
      expect(current.get(file), `src/generated/${file} drifted`).toBe(text);
    }
  });
});
