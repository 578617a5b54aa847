import type { ProcessControl } from '@zonemesh/chaos';
import type { ConsoleTopology } from './wire.js';

export type { ConsoleTopology, ProcessKind, TopologyProcess } from './wire.js';

/** Whether each process this supervisor runs is alive; absent for a mesh the console does not own. */
export type ProcessStates = () => Readonly<Record<string, 'running' | 'starting' | 'exited'>>;

export interface ConsoleOptions {
  readonly topology: ConsoleTopology;
  /** Default 127.0.0.1: the fault buttons must not sit on a public interface unless asked. */
  readonly host?: string;
  /**
   * Host names (without port) requests may be addressed to; default: loopback
   * names when `host` is loopback, any name otherwise. A console published
   * from a container (compose) listens on 0.0.0.0 and names its loopback
   * aliases here, so DNS rebinding stays shut.
   */
  readonly allowedHosts?: readonly string[];
  /**
   * `user:pass` every action (fault, heal, scenario run) must carry as HTTP
   * Basic: the registry's write credential, once the mesh has one. Reading
   * the console stays open on its loopback address.
   */
  readonly actionCredential?: string;
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
