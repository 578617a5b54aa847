import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { HealthCheckFailureType } from './health-probe.js';

interface HealthCheckEventBase {
  readonly health_checker_type: 'GRPC' | 'HTTP';
  /** The endpoint's traffic address (Envoy logs the host, not the health port). */
  readonly host: { readonly socket_address: { readonly protocol: 'TCP'; readonly address: string; readonly port_value: number } };
  readonly cluster_name: string;
  /** ISO-8601, from the checker's clock. */
  readonly timestamp: string;
  /** zonemesh additions: which endpoint, in which zone. */
  readonly endpoint_id: string;
  readonly zone?: string;
}

/** The host failed `unhealthy_threshold` checks (or one ACTIVE failure) and leaves the healthy set. */
export interface EjectUnhealthyEvent extends HealthCheckEventBase {
  readonly eject_unhealthy_event: { readonly failure_type: HealthCheckFailureType; readonly reason: string };
}

/** The host became healthy: on its first check, or after `healthy_threshold` successes. */
export interface AddHealthyEvent extends HealthCheckEventBase {
  readonly add_healthy_event: { readonly first_check: boolean };
}

/** A failed check: logged on a host's first check, and on every failure with `always_log_health_check_failures`. */
export interface HealthCheckFailureEvent extends HealthCheckEventBase {
  readonly health_check_failure_event: { readonly failure_type: HealthCheckFailureType; readonly first_check: boolean; readonly reason: string };
}

/** One line of the event log, shaped like Envoy's `envoy.data.core.v3.HealthCheckEvent` JSON. */
export type HealthCheckEvent = EjectUnhealthyEvent | AddHealthyEvent | HealthCheckFailureEvent;

export type HealthCheckEventListener = (event: HealthCheckEvent) => void;

/**
 * Appends events as JSON lines. The file is opened when the checker is built,
 * so a bad `event_log_path` fails at start-up rather than at the first
 * ejection; writes are synchronous because events are rare and must not be
 * lost or reordered when the process stops right after an ejection. A
 * missing directory is created (`.zonemesh/logs/` on a fresh clone); a
 * relative path is taken from the process's working directory.
 */
export class HealthEventLog {
  private fd: number | undefined;
  private warned = false;

  constructor(
    readonly path: string | undefined,
    private readonly listener: HealthCheckEventListener | undefined,
  ) {
    if (path !== undefined) mkdirSync(dirname(path), { recursive: true });
    this.fd = path === undefined ? undefined : openSync(path, 'a');
  }

  write(event: HealthCheckEvent): void {
    if (this.fd !== undefined) {
      try {
        writeSync(this.fd, `${JSON.stringify(event)}\n`);
      } catch (error) {
        // A full disk must not stop health checking; say so once.
        if (!this.warned) process.emitWarning(`health check event log ${this.path}: ${(error as Error).message}`);
        this.warned = true;
      }
    }
    try {
      this.listener?.(event);
    } catch (error) {
      process.emitWarning(`health check event listener failed: ${(error as Error).message}`);
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
