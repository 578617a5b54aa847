import { runRegistryCli } from './registry-cli.js';

const result = await runRegistryCli(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});

if ('exitCode' in result) {
  process.exit(result.exitCode);
} else {
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    result.registry.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Supervised by `zonemesh up` (an IPC channel): if the supervisor dies, do not linger.
  if (process.send) process.once('disconnect', stop);
}
