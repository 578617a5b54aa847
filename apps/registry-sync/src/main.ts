import { exitOnStopSignals } from '@zonemesh/runtime/exit-on-stop-signals';
import { runSyncCli } from './sync-cli.js';

const result = await runSyncCli(process.argv.slice(2), process.cwd(), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});

if ('exitCode' in result) process.exit(result.exitCode);
// Registrations stay: another syncer (or this one restarted) takes them over; leases expire otherwise.
else exitOnStopSignals(() => result.sync.stop());
