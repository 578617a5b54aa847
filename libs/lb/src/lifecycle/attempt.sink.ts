import type { AttemptInfo } from '../retry/call-attempt.js';
import type { EndpointChild } from '../policy/endpoint-child.js';
import type { PickerContext } from '../policy/zonemesh.picker.js';
import { hasLbCompleteHooks, hasLbLifecycles, hasLbStartHooks, notifyComplete, notifyEvent, notifyStart, notifyStartRequest, type LbRequest } from './lb-lifecycle.js';

/** What the sink reads from its balancer, live. */
export interface AttemptSinkOwner {
  now(): number;
  /** The pick policy is peak_ewma: it needs every attempt timed. */
  peakEwma(): boolean;
  /** A retry attempt started (the balancer counts them for snapshots). */
  retried(): void;
}

/**
 * Where a balancer's call attempts report: the lifecycle hooks (metrics,
 * events) and peak-EWMA timing. Its flags are getters so that the picker
 * reads, at each pick, whether hooks are installed now (they come and go).
 */
export function createAttemptSink(owner: AttemptSinkOwner): PickerContext['sink'] {
  return {
    get timed() {
      return hasLbCompleteHooks() || owner.peakEwma();
    },
    get hooked() {
      return hasLbLifecycles();
    },
    get startHooked() {
      return hasLbStartHooks();
    },
    now: () => owner.now(),
    onStart: (request) => notifyStart(request),
    attemptStarted: (info: AttemptInfo, child: EndpointChild, request: LbRequest | undefined) => {
      if (info.attempt > 1) {
        owner.retried();
        notifyEvent({ type: 'retry', cluster: info.cluster, attempt: info.attempt, endpoint: child.info });
      }
      if (request) notifyStartRequest(request, child.callTarget);
    },
    requestEnded: (request, child, code, details, durationMs) => notifyComplete({ request, target: child.callTarget, status: { code, details }, durationMs }),
  };
}
