import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPopulateFile } from './populate-file.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'toxiproxy-config-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('loadPopulateFile', () => {
  it('reads a Toxiproxy -config array', async () => {
    const path = await file(
      'ok.json',
      JSON.stringify([
        { name: 'a', listen: '127.0.0.1:20000', upstream: '127.0.0.1:30000' },
        { name: 'b', listen: '127.0.0.1:20001', upstream: '127.0.0.1:30001', enabled: false },
      ]),
    );
    expect(await loadPopulateFile(path)).toEqual([
      { name: 'a', listen: '127.0.0.1:20000', upstream: '127.0.0.1:30000' },
      { name: 'b', listen: '127.0.0.1:20001', upstream: '127.0.0.1:30001', enabled: false },
    ]);
  });

  it('names the file when it cannot be read or parsed', async () => {
    const missing = join(dir, 'missing.json');
    await expect(loadPopulateFile(missing)).rejects.toThrow(`${missing}: cannot read Toxiproxy config`);
    const broken = await file('broken.json', '[{"name": ');
    await expect(loadPopulateFile(broken)).rejects.toThrow(`${broken}: invalid JSON`);
    const notArray = await file('object.json', '{"name":"a"}');
    await expect(loadPopulateFile(notArray)).rejects.toThrow(`${notArray}: expected an array of proxies`);
  });

  it('names the entry and field that is wrong', async () => {
    const noUpstream = await file('no-upstream.json', JSON.stringify([{ name: 'a', upstream: 'x:1' }, { name: 'b' }]));
    await expect(loadPopulateFile(noUpstream)).rejects.toThrow(`${noUpstream}[1].upstream: required, a non-empty string`);
    const badEnabled = await file('bad-enabled.json', JSON.stringify([{ name: 'a', upstream: 'x:1', enabled: 'yes' }]));
    await expect(loadPopulateFile(badEnabled)).rejects.toThrow(`${badEnabled}[0].enabled: expected true or false`);
    const duplicate = await file('dup.json', JSON.stringify([{ name: 'a', upstream: 'x:1' }, { name: 'a', upstream: 'x:2' }]));
    await expect(loadPopulateFile(duplicate)).rejects.toThrow(`${duplicate}[1].name: duplicate proxy name "a"`);
  });
});
