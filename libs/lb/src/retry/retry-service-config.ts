import { GRPC_CODES, codeName, type LbPolicySettings, type RetryPolicyConfig } from '../cluster/cluster-config.js';

/*
 * Retries ride grpc-js's own retry machinery: the cluster's retry_policy
 * becomes the `methodConfig` of the service config that zonemeshChannelOptions
 * builds. The zonemesh picker then steers each retry (retry-target.ts) and
 * enforces the budget (retry-budget.ts).
 */

const UNAVAILABLE = GRPC_CODES.UNAVAILABLE!;
const CANCELLED = GRPC_CODES.CANCELLED!;

/**
 * The status codes grpc-js retries for a policy (`extra`: DEADLINE_EXCEEDED
 * for idempotent methods). With UNAVAILABLE comes CANCELLED: grpc-js 1.14
 * ends the calls in flight on a connection the server closed (GOAWAY or
 * session destroyed with code CANCEL, e.g. a server's forceShutdown) with
 * CANCELLED "Call cancelled" when the stream closes before the transport
 * reports the disconnect (subchannel-call.js: NGHTTP2_CANCEL without
 * `connectionDropped`) — the same event that otherwise reads UNAVAILABLE
 * "Connection dropped". Retrying it is as safe as retrying UNAVAILABLE: the
 * call may have reached the server either way. An application cancel
 * (`call.cancel()`, the deadline) is never retried: grpc-js's RetryingCall
 * turns NO_RETRY before it cancels its attempts; a hedged attempt discarded
 * for another is ignored once the call is committed. The one CANCELLED that
 * gets retried needlessly is a server answering CANCELLED on purpose, rare
 * enough to accept.
 */
export function retryableCodes(retry: RetryPolicyConfig, extra: readonly number[] = []): number[] {
  const codes = [...retry.retryOn, ...extra];
  if (codes.includes(UNAVAILABLE)) codes.push(CANCELLED);
  return [...new Set(codes)];
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
}

/** grpc-js method configs for the retry policy: all methods, plus idempotent ones that also retry DEADLINE_EXCEEDED. */
export function retryMethodConfigs(settings: LbPolicySettings): object[] {
  const retry = settings.retryPolicy;
  if (!retry) return [];
  const timeout = retry.timeoutMs === undefined ? {} : { timeout: seconds(retry.timeoutMs) };
  const policy = (codes: readonly number[]) =>
    retry.maxAttempts < 2
      ? {}
      : {
          retryPolicy: {
            maxAttempts: retry.maxAttempts,
            initialBackoff: seconds(retry.baseIntervalMs),
            maxBackoff: seconds(retry.maxIntervalMs),
            backoffMultiplier: 2,
            retryableStatusCodes: codes.map(codeName),
          },
        };
  const configs: object[] = [{ name: [{}], ...policy(retryableCodes(retry)), ...timeout }];
  if (retry.idempotentMethods.length > 0) {
    configs.push({
      name: retry.idempotentMethods.map((m) => {
        const [service, method] = m.split('/');
        return method === '*' ? { service } : { service, method };
      }),
      ...policy(retryableCodes(retry, [4 /* DEADLINE_EXCEEDED */])),
      ...timeout,
    });
  }
  return configs;
}
