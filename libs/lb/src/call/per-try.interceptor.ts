import {
  InterceptingCall,
  Metadata,
  status,
  type InterceptingListener,
  type Interceptor,
  type InterceptorOptions,
  type NextCall,
  type StatusObject,
} from '@grpc/grpc-js';
import type { RetryPolicyConfig } from '../cluster/cluster-config.js';
import { retryableCodes } from '../retry/retry-service-config.js';
import { PER_TRY_TIMEOUT_DETAILS } from './per-try-details.js';

/** What a call may set in its CallOptions to override its cluster's per-try settings (a gateway route does). */
export const PER_TRY_OVERRIDE = 'zonemesh.perTry';

export interface PerTryOverride {
  readonly perTryTimeoutMs?: number;
  readonly hedgeOnPerTryTimeout?: boolean;
}

interface PerTrySettings {
  readonly perTryTimeoutMs: number;
  readonly hedge: boolean;
  readonly maxAttempts: number;
  /** Failures after which the other attempts still in flight may yet answer (gRPC hedging's non-fatal codes). */
  readonly nonFatal: ReadonlySet<number>;
}

type InterceptingCallInterface = ReturnType<NextCall>;

/** grpc-js's own header: the picker reads it to treat an attempt as a retry (budget, steering, counters). */
const PREVIOUS_ATTEMPTS = 'grpc-previous-rpc-attempts';

/**
 * Envoy's `retry_policy.per_try_timeout` and `hedge_on_per_try_timeout` for
 * unary calls, as a client interceptor around grpc-js's own retrying call.
 *
 * Why not grpc-js: its retryPolicy has no per-attempt timeout (an attempt
 * lives until the call's deadline), and its hedgingPolicy replaces the
 * retryPolicy of a method, fires on a fixed delay fixed per channel (a route
 * cannot change it) and retries non-fatal failures without backoff. Here
 * each try is a whole grpc-js call (its own retries of a refused connection
 * included) with the cluster's retry policy inside it:
 * - without hedging, a try with no answer after `per_try_timeout` is
 *   cancelled with DEADLINE_EXCEEDED (outlier detection counts it, as
 *   Envoy's does) and the next one starts at once;
 * - with hedging, the slow try keeps running and a new one races it; the
 *   first answer wins and the others are cancelled.
 * Either way there are at most `max_attempts` tries, and every try after the
 * first carries `grpc-previous-rpc-attempts`, so the zonemesh picker draws
 * it from the retry budget (a refused one fails alone; the others go on) and
 * sends it elsewhere when it can. Streaming calls pass through untouched.
 */
export function perTryInterceptor(retry: RetryPolicyConfig | undefined): Interceptor | undefined {
  if (!retry) return undefined;
  const nonFatal = new Set([...retryableCodes(retry), status.DEADLINE_EXCEEDED]);
  const channelDefault = retry.perTryTimeoutMs;
  return (options, nextCall) => {
    const definition = options.method_definition;
    const override = (options as InterceptorOptions & { [PER_TRY_OVERRIDE]?: PerTryOverride })[PER_TRY_OVERRIDE];
    const perTryTimeoutMs = override?.perTryTimeoutMs ?? channelDefault;
    // Nothing to do for this call: hand back the next call itself, no wrapper on the hot path
    // (grpc-js only uses the returned call's interface).
    if (perTryTimeoutMs === undefined || definition.requestStream || definition.responseStream) return nextCall(options) as InterceptingCall;
    const settings: PerTrySettings = {
      perTryTimeoutMs,
      hedge: override?.hedgeOnPerTryTimeout ?? retry.hedgeOnPerTryTimeout,
      maxAttempts: retry.maxAttempts,
      nonFatal,
    };
    return new PerTryCall(options, nextCall, settings).call;
  };
}

interface Try {
  readonly call: InterceptingCallInterface;
  timer: NodeJS.Timeout | undefined;
  metadata: Metadata | undefined;
  message: unknown;
  done: boolean;
  /** Cancelled by its per-try timeout (without hedging) and replaced by a next try, which carries the call on. */
  timedOut: boolean;
}

/** One unary call's tries; `call` is what the interceptor returns. */
class PerTryCall {
  readonly call: InterceptingCall;
  private readonly tries: Try[] = [];
  private listener: InterceptingListener | undefined;
  private metadata: Metadata | undefined;
  private message: unknown;
  private committed = false;
  private cancelled = false;
  private readonly deadline: number;

  constructor(
    private readonly options: InterceptorOptions,
    private readonly nextCall: NextCall,
    private readonly settings: PerTrySettings,
  ) {
    const deadline = options.deadline;
    this.deadline = deadline === undefined ? Infinity : deadline instanceof Date ? deadline.getTime() : deadline;
    const first = this.newTry(nextCall(options));
    this.call = new InterceptingCall(first.call, {
      start: (metadata, listener, next) => {
        this.metadata = metadata;
        this.listener = listener;
        next(metadata, this.listenerFor(first));
      },
      sendMessage: (message, next) => {
        this.message = message;
        next(message);
      },
      halfClose: (next) => {
        next();
        this.arm(first);
      },
      cancel: (next) => {
        this.cancelled = true;
        // The caller's cancel (or deadline) ends every try; grpc-js reports it upward through the first one when it still runs.
        for (const t of this.tries) if (t !== first && !t.done) t.call.cancelWithStatus(status.CANCELLED, 'Cancelled on client');
        if (first.done && !this.committed) this.commit({ code: status.CANCELLED, details: 'Cancelled on client', metadata: new Metadata() }, undefined);
        next();
      },
    });
  }

  private newTry(call: InterceptingCallInterface): Try {
    const t: Try = { call, timer: undefined, metadata: undefined, message: undefined, done: false, timedOut: false };
    this.tries.push(t);
    return t;
  }

  /** A listener with one-argument callbacks: grpc-js then uses it as is (no `next` chaining). */
  private listenerFor(t: Try): InterceptingListener {
    return {
      onReceiveMetadata: (metadata: Metadata) => {
        t.metadata = metadata;
      },
      onReceiveMessage: (message: unknown) => {
        t.message = message;
      },
      onReceiveStatus: (received: StatusObject) => this.ended(t, received),
    };
  }

  private arm(t: Try): void {
    // No time for another try before the call's own deadline: let this one have it all.
    if (this.deadline - Date.now() <= this.settings.perTryTimeoutMs) return;
    t.timer = setTimeout(() => this.expired(t), this.settings.perTryTimeoutMs);
  }

  private expired(t: Try): void {
    t.timer = undefined;
    if (this.committed || t.done) return;
    const another = this.tries.length < this.settings.maxAttempts && this.deadline > Date.now();
    if (this.settings.hedge) {
      if (another) this.startTry();
      return;
    }
    // Cancelled first, so the next try's pick already knows where this one went; without another try its status is the call's.
    t.timedOut = another;
    t.call.cancelWithStatus(status.DEADLINE_EXCEEDED, `${PER_TRY_TIMEOUT_DETAILS}no answer after ${this.settings.perTryTimeoutMs} ms`);
    if (another) this.startTry();
  }

  private startTry(): void {
    const metadata = this.metadata!.clone();
    metadata.set(PREVIOUS_ATTEMPTS, String(this.tries.length));
    const t = this.newTry(this.nextCall(this.options));
    t.call.start(metadata, this.listenerFor(t));
    t.call.sendMessage(this.message);
    t.call.halfClose();
    this.arm(t);
  }

  private ended(t: Try, received: StatusObject): void {
    t.done = true;
    if (t.timer) clearTimeout(t.timer);
    t.timer = undefined;
    if (this.committed) return;
    if (!this.cancelled && received.code !== status.OK) {
      if (t.timedOut) return;
      // Hedging: a non-fatal failure the tries still running may yet beat.
      if (this.settings.nonFatal.has(received.code) && this.tries.some((other) => !other.done)) return;
    }
    this.commit(received, t);
  }

  private commit(received: StatusObject, t: Try | undefined): void {
    this.committed = true;
    for (const other of this.tries) {
      if (other.timer) clearTimeout(other.timer);
      other.timer = undefined;
      if (other !== t && !other.done) other.call.cancelWithStatus(status.CANCELLED, 'hedge: another try answered first');
    }
    const listener = this.listener!;
    if (t?.metadata) listener.onReceiveMetadata(t.metadata);
    if (t && t.message !== undefined) listener.onReceiveMessage(t.message);
    listener.onReceiveStatus(received);
  }
}
