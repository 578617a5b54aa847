// Test fixture: a probe that answers what the test says, when the test says.
import type { ResolvedEndpoint } from '../../endpoint.js';
import { failure, type HealthCheckFailureType, type HealthCheckOutcome, type HealthProbe, type HealthProbeFactory } from '../health-probe.js';

/** Per endpoint: the answer the next checks give ('hang' never answers, so the checker's timeout decides). */
export type Answer = 'ok' | HealthCheckFailureType | 'hang';

export class ScriptedProbes {
  /** Answer per endpoint id; 'ok' when absent. */
  readonly answers = new Map<string, Answer>();
  readonly checks = new Map<string, number>();
  readonly closed = new Set<string>();
  readonly ports = new Map<string, number>();

  readonly factory: HealthProbeFactory = (endpoint: ResolvedEndpoint, target) => {
    this.ports.set(endpoint.id, target.port);
    const probe: HealthProbe = {
      type: 'GRPC',
      check: (signal): Promise<HealthCheckOutcome> => {
        this.checks.set(endpoint.id, (this.checks.get(endpoint.id) ?? 0) + 1);
        const answer = this.answers.get(endpoint.id) ?? 'ok';
        if (answer === 'ok') return Promise.resolve({ healthy: true });
        if (answer === 'hang') {
          return new Promise((resolve) => signal.addEventListener('abort', () => resolve(failure('NETWORK', 'cancelled'))));
        }
        return Promise.resolve(failure(answer, `scripted ${answer}`));
      },
      close: () => void this.closed.add(endpoint.id),
    };
    return probe;
  };

  count(id: string): number {
    return this.checks.get(id) ?? 0;
  }
}

export function endpoint(id: string, port = 5000, metadata: Record<string, string> = {}): ResolvedEndpoint {
  return { id, host: '127.0.0.1', port, zone: 'zone-a', metadata };
}
