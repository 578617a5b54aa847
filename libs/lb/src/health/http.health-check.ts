import { Agent, request } from 'undici';
import { endpointAddress } from '../endpoint.js';
import { isExpectedStatus, type HttpHealthCheckConfig } from './health-check.config.js';
import { failure, type HealthCheckOutcome, type HealthCheckTarget, type HealthProbe } from './health-probe.js';

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * `GET <path>` with its own keep-alive connection (an undici Agent per
 * endpoint, so checks never queue behind traffic). A status outside
 * `expected_statuses` is an ACTIVE failure: the host is unhealthy at once.
 */
export class HttpHealthProbe implements HealthProbe {
  readonly type = 'HTTP';
  private readonly agent: Agent;
  private readonly url: string;
  private readonly hostHeader: string;
  private closed = false;

  constructor(
    target: HealthCheckTarget,
    private readonly config: HttpHealthCheckConfig,
    timeoutMs: number,
  ) {
    const address = endpointAddress(target);
    this.url = `http://${address}${config.path}`;
    this.hostHeader = config.host ?? address;
    this.agent = new Agent({ connections: 1, connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  }

  async check(signal: AbortSignal): Promise<HealthCheckOutcome> {
    if (this.closed) return failure('NETWORK', 'checker closed');
    try {
      const response = await request(this.url, {
        method: 'GET',
        headers: { host: this.hostHeader, 'user-agent': 'zonemesh-health-check' },
        dispatcher: this.agent,
        signal,
      });
      // Drain (bounded) so the keep-alive connection can serve the next check.
      await response.body.dump({ limit: 64 * 1024 });
      return isExpectedStatus(response.statusCode, this.config.expectedStatuses)
        ? { healthy: true }
        : failure('ACTIVE', `HTTP ${response.statusCode}`);
    } catch (error) {
      const { code, message, name } = error as { code?: string; message?: string; name?: string };
      if (signal.aborted || name === 'AbortError' || (code && TIMEOUT_CODES.has(code))) {
        return failure('NETWORK_TIMEOUT', `HTTP ${code ?? name ?? 'timeout'}`);
      }
      return failure('NETWORK', `HTTP ${code ?? ''} ${message ?? String(error)}`.trim());
    }
  }

  close(): void {
    this.closed = true;
    void this.agent.destroy().catch(() => undefined);
  }
}
