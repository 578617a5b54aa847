#!/usr/bin/env node
// Regenerates the TypeScript types in src/generated from proto/*.proto.
// Usage: node libs/contracts/scripts/generate.mjs [outDir]
// The drift spec (src/generated.spec.ts) runs this same script into a temp
// dir, so the flags below are the single source of truth for the output.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const protoDir = join(root, 'proto');
const outDir = resolve(process.argv[2] ?? join(root, 'src', 'generated'));

// Must match contractLoaderOptions in src/loader-options.ts: the types
// describe what grpc-js hands out at runtime.
const flags = [
  '--longs=String',
  '--enums=String',
  '--defaults',
  '--oneofs',
  '--grpcLib=@grpc/grpc-js',
  '--importFileExtension=.js',
];

const require = createRequire(import.meta.url);
const bin = join(dirname(require.resolve('@grpc/proto-loader/package.json')), 'build', 'bin', 'proto-loader-gen-types.js');
const protos = readdirSync(protoDir).filter((f) => f.endsWith('.proto')).sort();

rmSync(outDir, { recursive: true, force: true });
execFileSync(process.execPath, [bin, ...flags, `-I=${protoDir}`, `-O=${outDir}`, ...protos], {
  cwd: protoDir,
  stdio: ['ignore', 'ignore', 'inherit'],
});

// The generator writes the absolute proto path into every file; make it
// relative so the output does not depend on where the repo is checked out.
for (const entry of readdirSync(outDir, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue;
  const file = join(entry.parentPath, entry.name);
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.replaceAll(`// Original file: ${protoDir}/`, '// Original file: proto/'));
}
