export { createHttpBalancer } from './http.balancer.js';
export type {
  HttpBalancer,
  HttpBalancerEvent,
  HttpBalancerOptions,
  HttpBalancerResponse,
  HttpBalancerSnapshot,
  HttpEndpointSnapshot,
  HttpRequestOptions,
} from './http.balancer.js';
export { HttpBalancerError, type HttpAttemptFailure } from './http-failure.js';
export type { HttpPickTier } from './http-endpoint.picker.js';
export {
  HTTP_FAILURE_KINDS,
  HTTP_LB_POLICY_NAMES,
  HTTP_POLICY_DEFAULTS,
  HTTP_POLICY_KEYS,
  parseHttpBalancerPolicy,
  type HttpBalancerPolicy,
  type HttpBalancerPolicyInput,
  type HttpFailureKind,
  type HttpLbPolicyName,
  type HttpRetryConfig,
} from './http-policy.config.js';
