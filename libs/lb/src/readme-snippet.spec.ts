import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addLbLifecycle, type LbRequest } from './lifecycle/lb-lifecycle.js';
import { EchoServer } from './testing/echo-servers.test.js';

const LIB_DIR = fileURLToPath(new URL('..', import.meta.url));

/** The README's quick-start block, verbatim. */
async function quickStart(): Promise<string> {
  const readme = await readFile(join(LIB_DIR, 'README.md'), 'utf8');
  const match = /<!-- snippet:quick-start[^>]*-->\n```ts\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error('libs/lb/README.md has no quick-start snippet');
  return match[1]!;
}

describe('libs/lb README quick start', () => {
  let a: EchoServer, b: EchoServer;
  beforeAll(async () => {
    [a, b] = await Promise.all([EchoServer.start('echo-a'), EchoServer.start('echo-b')]);
  });
  afterAll(() => [a, b].forEach((s) => s.stop()));

  it('runs as written (only the two addresses point at real servers) and the zonemesh policy picks', async () => {
    const code = (await quickStart()).replace('127.0.0.1:7001', a.address).replace('127.0.0.1:7002', b.address);
    expect(code).toContain(a.address);
    expect(code).toContain(b.address);
    // Inside the library so its imports resolve as a user's would (workspace packages, vitest aliases).
    const dir = await mkdtemp(join(LIB_DIR, '.snippet-'));
    const requests: LbRequest[] = [];
    const removeHook = addLbLifecycle({ onStartRequest: (request) => requests.push(request) });
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await writeFile(join(dir, 'quick-start.ts'), code);
      await import(join(dir, 'quick-start.ts'));
      expect(log).toHaveBeenCalledWith(expect.stringMatching(/^served by echo-[ab]$/));
      // The call went through the zonemesh policy (a misspelled policy falls back to pick_first silently).
      expect(requests.map((r) => [r.cluster, r.sourceZone])).toEqual([['echo', 'zone-a']]);
      expect(a.calls + b.calls).toBe(1);
    } finally {
      log.mockRestore();
      removeHook();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
