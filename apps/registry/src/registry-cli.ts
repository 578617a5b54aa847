import { REGISTRY_USAGE, RegistryConfigError, parseRegistryConfig } from './registry-config.js';
import { RegistryPortInUseError, type RunningRegistry, startRegistryServer } from './registry-server.js';

/** Where the CLI writes; main.ts passes the process streams, tests collect lines. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

/** Either the running registry or the exit code the process should end with. */
export type CliResult = { readonly registry: RunningRegistry } | { readonly exitCode: number };

/**
 * The registry command line: parse and validate, start, announce. Prints one
 * JSON line `{"event":"listening",...}` on stdout once it accepts connections
 * (how spawning tools learn the port when started with --port 0). Failures are
 * one line on stderr: exit code 2 for bad configuration, 1 for start-up errors.
 */
export async function runRegistryCli(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliOutput): Promise<CliResult> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(REGISTRY_USAGE);
    return { exitCode: 0 };
  }
  let config;
  try {
    config = parseRegistryConfig(argv, env);
  } catch (error) {
    if (!(error instanceof RegistryConfigError)) throw error;
    io.err(`registry: ${error.message}`);
    return { exitCode: 2 };
  }
  let registry: RunningRegistry;
  try {
    registry = await startRegistryServer({ ...config, log: io.out });
  } catch (error) {
    io.err(error instanceof RegistryPortInUseError ? error.message : `registry: failed to start (${config.zone}): ${(error as Error).message}`);
    return { exitCode: 1 };
  }
  io.out(
    JSON.stringify({
      event: 'listening',
      zone: registry.zone,
      url: registry.url,
      port: registry.port,
      // Without credentials: this line is logged.
      peers: registry.peers,
      timings: registry.timings,
    }),
  );
  // Spawners that need the full registry (tests, `zonemesh up`) wait for this line; no peers, nothing to sync.
  if (registry.peers.length > 0) void registry.whenSynced().then((outcome) =>
    io.out(JSON.stringify({ event: 'synced', zone: registry.zone, peer: outcome.peer ?? null, instances: outcome.instances, tookMs: outcome.tookMs })),
  );
  return { registry };
}
