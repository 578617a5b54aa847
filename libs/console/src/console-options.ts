import type { ProcessControl } from '@zonemesh/chaos';

/** What a process is in the mesh; decides its tile and which views it has. */
export type ProcessKind = 'gateway' | 'registry' | 'service' | 'legacy' | 'syncer' | 'fault-proxy';

/** One process of the mesh as the console draws it (from the mesh plan, or given for an external mesh). */
export interface TopologyProcess {
  /** `catalog-zone-a-1`, `registry-zone-b`, `gateway`: also its fault proxy's name when it has one. */
  readonly name: string;
  readonly kind: ProcessKind;
  /** catalog, pricing, registry, gateway... */
  readonly service: string;
  readonly version?: string;
  /** `-` for processes outside any zone (the fault proxy). */
  readonly zone: string;
  /** Where it listens (what a person curls). */
  readonly url: string;
  /** GET /admin/clusters of a caller (the gateway; catalog on its metrics port): its LB view. */
  readonly adminUrl?: string;
  /** GET /metrics: client latency histograms of a caller. */
  readonly metricsUrl?: string;
  /** Its fault proxy, when it is reached through one. */
  readonly proxy?: string;
}

export interface ConsoleTopology {
  readonly zones: readonly string[];
  readonly processes: readonly TopologyProcess[];
  readonly gatewayUrl: string;
  readonly toxiproxyUrl: string;
  /** Each zone's registry, reached directly (not through its proxy). */
  readonly registryUrls: Readonly<Record<string, string>>;
}

/** Whether each process this supervisor runs is alive; absent for a mesh the console does not own. */
export type ProcessStates = () => Readonly<Record<string, 'running' | 'starting' | 'exited'>>;

export interface ConsoleOptions {
  readonly topology: ConsoleTopology;
  /** Default 127.0.0.1: the fault buttons must not sit on a public interface unless asked. */
  readonly host?: string;
  /** Default 8070; 0 picks a free port. */
  readonly port?: number;
  /** Kill and restart processes (crash buttons, kill scenarios); absent: no crash buttons. */
  readonly processes?: ProcessControl;
  readonly processStates?: ProcessStates;
  /** How long a crashed process stays down before it is restarted (default 5 s, as a short instance-crash). */
  readonly crashRestartMs?: number;
  /** Shipped scenarios (`chaos/scenarios`) offered in the run menu. */
  readonly scenarioDir?: string;
  /** Where scenario runs write their reports (served under /console/reports/). */
  readonly reportDir?: string;
  /** Grafana dashboard JSON files to preview (`infra/grafana/dashboards`). */
  readonly dashboardsDir?: string;
  /** A live Prometheus scraping this mesh, for the dashboards preview. */
  readonly prometheusUrl?: string;
  /**
   * How often the live feed samples the mesh (default 500 ms). A share is
   * judged over one tick and the tick a fault lands in is mixed, so the page
   * shows a failover about two ticks after it happened.
   */
  readonly tickMs?: number;
  /** How much history a newly opened page receives (default 5 minutes). */
  readonly historyMs?: number;
}
