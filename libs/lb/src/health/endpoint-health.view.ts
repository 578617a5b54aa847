/**
 * What an active health checker knows about endpoints, as seen by the
 * supplier chain. Implemented by `ActiveHealthChecker` (src/health/).
 */
export interface EndpointHealthView {
  /**
   * Health of one endpoint by its id (`ResolvedEndpoint.id`).
   * `undefined` means unknown (never checked, or not checked at all): the
   * chain treats unknown as healthy so that a cluster without health checks
   * keeps serving.
   */
  isHealthy(endpointId: string): boolean | undefined;
  /**
   * Subscribes to health transitions; the listener receives the endpoint id
   * whose state changed. Returns a function that unsubscribes.
   */
  onChange(listener: (endpointId: string) => void): () => void;
  /**
   * Clock time of the endpoint's last failed check, if the view knows it.
   * The failed-instance TTL counts from there; without it, an unhealthy
   * endpoint counts as failing until it turns healthy.
   */
  lastFailureAt?(endpointId: string): number | undefined;
  /** EWMA round trip of the endpoint's passing checks (ms), undefined until known: the zone_failover.latency signal. */
  latencyMs?(endpointId: string): number | undefined;
}
