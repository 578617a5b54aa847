// What the console server sends and the page reads. Types only, importing
// nothing, so the page (compiled for the browser by tsconfig.web.json) and the
// server (Node) share one definition.

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

/** GET /console/api/topology: the topology and what this console can do. */
export interface TopologyAnswer extends ConsoleTopology {
  readonly canCrash: boolean;
  readonly scenarios: readonly string[];
  readonly prometheus: boolean;
  readonly dashboards: readonly { readonly uid: string; readonly title: string }[];
  readonly dashboardsError?: string;
}

/** Badges a tile can show, worst first (tile-state.ts orders them). */
export type TileBadge = 'crashed' | 'disabled' | 'ejected' | 'unhealthy' | 'cached' | 'toxic' | 'draining' | 'deregistered' | 'healthy';

/** What one caller believes about one endpoint, as a tile lists it. */
export interface CallerBelief {
  readonly caller: string;
  readonly cluster: string;
  readonly state: string;
  readonly health: string;
  readonly serving: boolean;
  readonly ejected: boolean;
  readonly reason?: string;
  readonly ejectionCount?: number;
  /** Milliseconds left in the failed-instance cache (failback countdown). */
  readonly cachedForMs?: number;
  readonly draining?: boolean;
}

export interface TileState {
  readonly name: string;
  readonly badges: readonly TileBadge[];
  readonly process?: 'running' | 'starting' | 'exited';
  readonly proxy?: { readonly enabled: boolean; readonly toxics: readonly string[] };
  /** zone of a registry -> this instance's status there (UP...), for registered instances. */
  readonly registered: Readonly<Record<string, string>>;
  readonly beliefs: readonly CallerBelief[];
}

/** One cluster's traffic over the last tick, summed over every caller of it. */
export interface ClusterTraffic {
  readonly cluster: string;
  readonly callsPerSec: number;
  readonly errorsPerSec: number;
  /** Undefined without calls in the tick. */
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  /** Share of the tick's picks per zone (0..1); empty without picks. */
  readonly zoneShare: Readonly<Record<string, number>>;
  /** Share of the tick's picks per endpoint id. */
  readonly endpointShare: Readonly<Record<string, number>>;
}

/** A stretch of time during which the mesh had a fault applied, shaded on the charts. */
export interface FaultBand {
  readonly from: number;
  /** Undefined while the fault lasts. */
  readonly to?: number;
  /** `down: zone-a catalog x2, pricing x4 · crashed: catalog-zone-a-1`. */
  readonly label: string;
}

/** A fault the console applied and has not healed yet. */
export interface ConsoleFault {
  readonly id: string;
  readonly action: string;
  readonly targets: readonly string[];
  readonly since: number;
}

/** What the page receives once per tick. */
export interface LiveTick {
  readonly t: number;
  readonly tiles: readonly TileState[];
  readonly traffic: readonly ClusterTraffic[];
  readonly bands: readonly FaultBand[];
  /** Which caller views answered (a caller that did not is shown as unknown, not as healthy). */
  readonly callers: readonly string[];
  readonly faults?: readonly ConsoleFault[];
}

/** The traffic part of past ticks, sent to a page when it opens. */
export interface TrafficPoint {
  readonly t: number;
  readonly traffic: readonly ClusterTraffic[];
}

export interface History {
  readonly past: readonly TrafficPoint[];
  readonly bands: readonly FaultBand[];
}

/** A scenario run started from the menu; the page follows it through the live feed. */
export interface ScenarioRun {
  readonly scenario: string;
  readonly short: boolean;
  readonly startedAt: number;
  state: 'running' | 'passed' | 'failed' | 'error';
  /** The latest progress line (`  12s fault:zone-a-down  rps 40 ...`). */
  progress: string;
  /** `/console/reports/<file>.html` once written. */
  report?: string;
  error?: string;
}

/** A panel as the preview draws it: Grafana's panel reduced to what is rendered. */
export interface PreviewPanel {
  readonly id: number;
  readonly title: string;
  readonly description?: string;
  readonly type: string;
  readonly unit?: string;
  readonly stacked: boolean;
  /** Grafana grid: 24 columns wide. */
  readonly width: number;
  readonly queries: readonly { readonly expr: string; readonly legend?: string; readonly instant: boolean }[];
}

export interface PreviewDashboard {
  readonly uid: string;
  readonly title: string;
  readonly description?: string;
  readonly panels: readonly PreviewPanel[];
  /** Rows, in order, with the ids of the panels under each. */
  readonly rows: readonly { readonly title: string; readonly panelIds: readonly number[] }[];
}

/** One panel's data in uPlot's shape: shared timestamps (seconds) and one series per legend. */
export interface PanelData {
  readonly times: readonly number[];
  readonly series: readonly { readonly label: string; readonly values: readonly (number | null)[] }[];
  /** Query errors, as Prometheus worded them. */
  readonly errors: readonly string[];
}
