import { exitOnStopSignals } from '@zonemesh/runtime/exit-on-stop-signals';
import { runRegistryCli } from './registry-cli.js';

const result = await runRegistryCli(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});

if ('exitCode' in result) process.exit(result.exitCode);
else exitOnStopSignals(() => result.registry.close());
