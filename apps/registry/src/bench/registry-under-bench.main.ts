import { startRegistryServer } from '../registry-server.js';

/**
 * The registry as `main.js` runs it (fast profile, one log line per event
 * on stdout), with the one timing a bench must shorten: the delta retention,
 * so the 3-minute window can empty within a run and delta polling is
 * measured in a registry's steady state. Argument: a JSON object
 * `{"zone", "deltaRetentionMs", "peers"}`.
 */
const settings = JSON.parse(process.argv[2] ?? '{}') as { zone?: string; deltaRetentionMs?: number; peers?: string[] };
const registry = await startRegistryServer({
  port: 0,
  zone: settings.zone ?? 'bench',
  profile: 'fast',
  peers: settings.peers ?? [],
  timings: settings.deltaRetentionMs === undefined ? {} : { deltaRetentionMs: settings.deltaRetentionMs },
  log: (line) => process.stdout.write(`${line}\n`),
});
process.stdout.write(`${JSON.stringify({ event: 'listening', port: registry.port })}\n`);
process.on('SIGTERM', () => void registry.close().then(() => process.exit(0)));
