// The JSON the console server sends (libs/console/src): kept apart because the
// page compiles for the browser, not Node. wire-types.spec.ts fails the
// type check when the two drift.

export type TileBadge = 'crashed' | 'disabled' | 'ejected' | 'unhealthy' | 'cached' | 'toxic' | 'draining' | 'deregistered' | 'healthy';

export interface CallerBelief {
  readonly caller: string;
  readonly cluster: string;
  readonly state: string;
  readonly health: string;
  readonly serving: boolean;
  readonly ejected: boolean;
  readonly reason?: string;
  readonly ejectionCount?: number;
  readonly cachedForMs?: number;
  readonly draining?: boolean;
}

export interface TileState {
  readonly name: string;
  readonly badges: readonly TileBadge[];
  readonly process?: 'running' | 'starting' | 'exited';
  readonly proxy?: { readonly enabled: boolean; readonly toxics: readonly string[] };
  readonly registered: Readonly<Record<string, string>>;
  readonly beliefs: readonly CallerBelief[];
}

export interface ClusterTraffic {
  readonly cluster: string;
  readonly callsPerSec: number;
  readonly errorsPerSec: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  readonly zoneShare: Readonly<Record<string, number>>;
  readonly endpointShare: Readonly<Record<string, number>>;
}

export interface FaultBand {
  readonly from: number;
  readonly to?: number;
  readonly label: string;
}

export interface ConsoleFault {
  readonly id: string;
  readonly action: string;
  readonly targets: readonly string[];
  readonly since: number;
}

export interface LiveTick {
  readonly t: number;
  readonly tiles: readonly TileState[];
  readonly traffic: readonly ClusterTraffic[];
  readonly bands: readonly FaultBand[];
  readonly callers: readonly string[];
  readonly faults?: readonly ConsoleFault[];
}

export interface History {
  readonly past: readonly { readonly t: number; readonly traffic: readonly ClusterTraffic[] }[];
  readonly bands: readonly FaultBand[];
}

export interface ScenarioRun {
  readonly scenario: string;
  readonly short: boolean;
  readonly startedAt: number;
  readonly state: 'running' | 'passed' | 'failed' | 'error';
  readonly progress: string;
  readonly report?: string;
  readonly error?: string;
}

export interface TopologyProcess {
  readonly name: string;
  readonly kind: 'gateway' | 'registry' | 'service' | 'legacy' | 'syncer' | 'fault-proxy';
  readonly service: string;
  readonly version?: string;
  readonly zone: string;
  readonly url: string;
  readonly proxy?: string;
}

export interface Topology {
  readonly zones: readonly string[];
  readonly processes: readonly TopologyProcess[];
  readonly gatewayUrl: string;
  readonly toxiproxyUrl: string;
  readonly canCrash: boolean;
  readonly scenarios: readonly string[];
  readonly prometheus: boolean;
  readonly dashboards: readonly { readonly uid: string; readonly title: string }[];
  readonly dashboardsError?: string;
}

export interface PreviewPanel {
  readonly id: number;
  readonly title: string;
  readonly description?: string;
  readonly type: string;
  readonly unit?: string;
  readonly stacked: boolean;
  readonly width: number;
}

export interface PreviewDashboard {
  readonly uid: string;
  readonly title: string;
  readonly description?: string;
  readonly panels: readonly PreviewPanel[];
  readonly rows: readonly { readonly title: string; readonly panelIds: readonly number[] }[];
}

export interface PanelData {
  readonly times: readonly number[];
  readonly series: readonly { readonly label: string; readonly values: readonly (number | null)[] }[];
  readonly errors: readonly string[];
}
