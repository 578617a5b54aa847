import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
};

const libRoot = fileURLToPath(new URL('../../', import.meta.url));
// uPlot ships with the project (an npm dependency), served from here: the page never fetches from a CDN.
const uplotDist = dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.iife.min.js'));

/** Where each public path prefix is read from: the page's HTML and CSS, its compiled scripts, uPlot. */
const ROOTS: readonly [prefix: string, dir: string][] = [
  ['/console/vendor/', uplotDist],
  ['/console/js/', join(libRoot, 'dist', 'browser', 'web')],
  ['/console/', join(libRoot, 'web')],
];

export interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
}

/** A file under one of the roots, or undefined (never a path outside them: `..` cannot escape). */
export async function staticFile(path: string): Promise<StaticFile | undefined> {
  const url = path === '/console/' ? '/console/index.html' : path;
  for (const [prefix, dir] of ROOTS) {
    if (!url.startsWith(prefix)) continue;
    let file: string;
    try {
      file = resolve(dir, decodeURIComponent(url.slice(prefix.length)));
    } catch {
      return undefined; // malformed escape
    }
    if (!file.startsWith(dir + sep)) return undefined;
    const type = TYPES[extname(file)];
    if (!type) return undefined;
    try {
      return { body: await readFile(file), type };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A report under `dir` by bare file name (`zone-outage-<time>.html`), or undefined. */
export async function reportFile(dir: string, name: string): Promise<StaticFile | undefined> {
  if (!/^[\w.-]+\.(html|json)$/.test(name) || name.includes('..')) return undefined;
  try {
    return { body: await readFile(join(dir, name)), type: TYPES[extname(name)]! };
  } catch {
    return undefined;
  }
}
