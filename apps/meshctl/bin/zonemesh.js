#!/usr/bin/env node
// Thin launcher: the CLI itself is compiled TypeScript in ../dist. A missing
// build is reported in one line instead of a module-not-found stack trace.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
if (!existsSync(main)) {
  console.error('zonemesh: the workspace is not built (missing apps/meshctl/dist/main.js); run `npm run build` or `npm start`.');
  process.exit(1);
}
await import(pathToFileURL(main).href);
