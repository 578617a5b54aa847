/** DI token of the gateway's validated settings. */
export const GATEWAY_SETTINGS = Symbol('GATEWAY_SETTINGS');

export interface GatewaySettings {
  readonly instanceId: string;
  readonly zone: string;
  readonly host: string;
  readonly port: number;
  /** Overall deadline of one upstream call chain. */
  readonly upstreamTimeoutMs: number;
  /** Largest request body accepted (413 above). */
  readonly bodyLimitBytes: number;
}
