import type { Fault, TargetSelector } from '@zonemesh/chaos';

/** The buttons: each is the fault a scenario step of the same type applies. */
export const FAULT_ACTIONS = ['disable', 'crash', 'latency', 'bandwidth', 'reset'] as const;
export type FaultAction = (typeof FAULT_ACTIONS)[number];

/** Which tiles a button acts on: one instance, a service in a zone, or a whole zone. */
export interface FaultScope {
  readonly zone?: string;
  readonly service?: string;
  readonly instance?: string;
}

/** A bad request from the page: answered 400 with this message. */
export class ActionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionError';
  }
}

/**
 * The scope as the scenarios' target selector. A zone alone means the zone's
 * mesh services (as zone-outage does), not its registry or legacy instances.
 */
export function selectorFor(scope: FaultScope, meshServices: readonly string[]): TargetSelector {
  if (scope.instance) return { instance: [scope.instance] };
  if (!scope.zone && !scope.service) throw new ActionError('target: give an instance, a service, a zone, or a service and a zone');
  return {
    ...(scope.zone ? { zone: [scope.zone] } : {}),
    service: scope.service ? [scope.service] : [...meshServices],
  };
}

/** The fault a button applies, in the scenario schema's own terms (Toxiproxy units). */
export function faultFor(action: FaultAction, targets: TargetSelector): Fault {
  switch (action) {
    case 'disable':
      return { type: 'down', targets };
    case 'crash':
      return { type: 'kill', targets, signal: 'SIGKILL', restart: true };
    case 'latency':
      // zone-latency's +800 ms: beyond the 500 ms health-check timeout, so the zone is failed over.
      return { type: 'latency', targets, stream: 'downstream', toxicity: 1, attributes: { latency: 800, jitter: 0 } };
    case 'bandwidth':
      // bandwidth-starved's 1 KB/s.
      return { type: 'bandwidth', targets, stream: 'downstream', toxicity: 1, attributes: { rate: 1 } };
    case 'reset':
      return { type: 'reset_peer', targets, stream: 'downstream', toxicity: 1, attributes: { timeout: 0 } };
  }
}

/** Validates a POSTed fault request: `{ action, target: { zone?, service?, instance? } }`. */
export function parseFaultRequest(body: unknown): { action: FaultAction; scope: FaultScope } {
  if (!body || typeof body !== 'object') throw new ActionError('expected a JSON object { action, target }');
  const { action, target } = body as { action?: unknown; target?: unknown };
  if (typeof action !== 'string' || !(FAULT_ACTIONS as readonly string[]).includes(action)) {
    throw new ActionError(`action: expected one of ${FAULT_ACTIONS.join(', ')}, got ${JSON.stringify(action)}`);
  }
  return { action: action as FaultAction, scope: parseScope(target) };
}

export function parseScope(target: unknown): FaultScope {
  if (target === undefined) return {};
  if (!target || typeof target !== 'object') throw new ActionError('target: expected an object { zone?, service?, instance? }');
  const scope: Record<string, string> = {};
  for (const [key, value] of Object.entries(target)) {
    if (!['zone', 'service', 'instance'].includes(key)) throw new ActionError(`target.${key}: unknown field (zone, service, instance)`);
    if (typeof value !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(value)) throw new ActionError(`target.${key}: expected a name like "zone-a", got ${JSON.stringify(value)}`);
    scope[key] = value;
  }
  return scope;
}
