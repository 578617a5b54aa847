/*
 * The help convention every zonemesh program follows, the CLI and each app's
 * own entry point alike: `--help` or `-h` (before a `--`) prints the usage to
 * stdout and exits 0 before anything starts — no port bound, no file written.
 */

export function asksForHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/** Prints `text` and exits 0 when `argv` asks for help; returns otherwise. */
export function answerHelp(argv: readonly string[], text: string): void {
  if (!asksForHelp(argv)) return;
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  process.exit(0);
}

/** The usage of a mesh service process (catalog, pricing, inventory, gateway): configured by environment only. */
export function serviceHelp(service: string): string {
  return `${service} — a zonemesh ${service === 'gateway' ? 'REST gateway' : 'gRPC service'} process; \`zonemesh up\` starts it with every variable set.
Usage: ZONEMESH_ZONE=zone-a ZONEMESH_PORT=7100 node apps/${service}/dist/main.js
Configured by environment variables only (validated at start; exit 1 naming each bad one):
  ZONEMESH_ZONE              the zone this instance runs in (required)
  ZONEMESH_PORT              the port it binds (required, 1-65535)
  ZONEMESH_HOST              bind host (default 127.0.0.1)
  ZONEMESH_INSTANCE_ID       instance id (default ${service}-<zone>-1)
  ZONEMESH_ADVERTISE_HOST / ZONEMESH_ADVERTISE_PORT
                             the address registered (the fault proxy's; default the bind address)
  ZONEMESH_METRICS_PORT      Prometheus /metrics port (default none)
  ZONEMESH_HEALTH_PORT       separate plain-HTTP GET /healthcheck port (0 = free port; default none)
  ZONEMESH_HEALTH_ADVERTISE_PORT
                             the health port registered (metadata health_check_port; default the bound one)
  ZONEMESH_VERSION           version metadata (default v1; pricing v2 serves more fields)
  ZONEMESH_REGISTRY_URLS     zone=url,... of the Eureka registries (default: no registration,
                             only static clusters)
  ZONEMESH_RENEW_INTERVAL / ZONEMESH_LEASE_DURATION / ZONEMESH_FETCH_INTERVAL / ZONEMESH_REGISTRY_SESSION
                             registration and fetch timing, durations like "2s"
  ZONEMESH_CLUSTERS_FILE     mesh.yaml (or any YAML with clusters:): the clusters this process calls,
                             their targets (static endpoints, or eureka app via the registries) and
                             LB settings, and the gateway's routes:; SIGHUP re-reads it
  ZONEMESH_DRAIN_PERIOD      how long to keep serving after deregistering on stop (0 = none)
  ZONEMESH_LB_MODE           zonemesh (default) or grpc-rr (the baseline)
Options:
  -h, --help                 this text`;
}
