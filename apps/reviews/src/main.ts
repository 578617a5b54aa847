import { readReviewsConfig, ReviewsConfigError } from './reviews-config.js';
import { startReviewsServer } from './reviews-server.js';

// A stand-in legacy service with no dependency on the mesh's libs: the help convention inline.
if (process.argv.slice(2).some((arg) => arg === '--help' || arg === '-h')) {
  process.stdout.write(`reviews — a legacy HTTP service that cannot register itself (the registry syncer keeps it in Eureka).
Usage: ZONEMESH_INSTANCE_ID=reviews-zone-a-1 ZONEMESH_ZONE=zone-a [ZONEMESH_HOST=127.0.0.1] [ZONEMESH_PORT=0] node apps/reviews/dist/main.js
Serves GET /reviews/{id} and GET /healthz; exit 2 naming a bad variable.
Options:
  -h, --help   this text
`);
  process.exit(0);
}

const line = (fields: Record<string, unknown>): string => JSON.stringify({ time: new Date().toISOString(), ...fields });

try {
  const config = readReviewsConfig(process.env);
  const running = await startReviewsServer(config);
  process.stdout.write(`${line({ event: 'listening', instanceId: config.instanceId, zone: config.zone, url: running.url })}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    running.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Supervised by `zonemesh up`: when the supervisor's IPC channel closes, it is gone; so are we.
  process.on('disconnect', stop);
} catch (error) {
  const message = error instanceof ReviewsConfigError ? error.message : (error as NodeJS.ErrnoException).code ? `cannot listen: ${(error as Error).message}` : undefined;
  if (message === undefined) throw error;
  process.stderr.write(`reviews: ${message}\n`);
  process.exit(2);
}
