import { Client, Metadata, credentials, status, type ChannelOptions, type ServiceError } from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import { service as healthService } from 'grpc-health-check';
import { endpointAddress } from '../endpoint.js';
import type { GrpcHealthCheckConfig } from './health-check.config.js';
import { failure, type HealthCheckOutcome, type HealthCheckTarget, type HealthProbe } from './health-probe.js';

interface CheckRequest {
  service: string;
}
interface CheckResponse {
  status?: string;
}

const CHECK = healthService.Check as MethodDefinition<CheckRequest, CheckResponse>;

/**
 * Channel options of a health-check channel. A plain `host:port` target never
 * reaches the zonemesh resolver or policy; the local subchannel pool keeps the
 * check's connection apart from the traffic's (as Envoy's checker has its own),
 * so a healthy traffic connection cannot hide a host that refuses new ones.
 */
function channelOptions(authority: string | undefined): ChannelOptions {
  return {
    'grpc.use_local_subchannel_pool': 1,
    'grpc.service_config_disable_resolution': 1,
    'grpc.enable_retries': 0,
    'grpc.initial_reconnect_backoff_ms': 250,
    'grpc.max_reconnect_backoff_ms': 1_000,
    ...(authority === undefined ? {} : { 'grpc.default_authority': authority }),
  };
}

/**
 * `grpc.health.v1.Health/Check` over one dedicated channel, reused while the
 * host answers. After a network failure the channel is replaced, so the next
 * check makes a fresh connection attempt instead of waiting out grpc-js's
 * reconnect backoff (Envoy likewise reconnects at the next interval).
 */
export class GrpcHealthProbe implements HealthProbe {
  readonly type = 'GRPC';
  private client: Client | undefined;
  private closed = false;
  private readonly address: string;

  constructor(
    target: HealthCheckTarget,
    private readonly config: GrpcHealthCheckConfig,
  ) {
    this.address = endpointAddress(target);
  }

  check(signal: AbortSignal, timeoutMs: number): Promise<HealthCheckOutcome> {
    if (this.closed) return Promise.resolve(failure('NETWORK', 'checker closed'));
    const client = (this.client ??= new Client(this.address, credentials.createInsecure(), channelOptions(this.config.authority)));
    return new Promise<HealthCheckOutcome>((resolve) => {
      const call = client.makeUnaryRequest<CheckRequest, CheckResponse>(
        CHECK.path,
        CHECK.requestSerialize,
        CHECK.responseDeserialize,
        { service: this.config.serviceName },
        new Metadata(),
        { deadline: Date.now() + timeoutMs },
        (error, response) => {
          signal.removeEventListener('abort', onAbort);
          const outcome = error ? this.fromError(error) : fromResponse(response);
          if (!outcome.healthy && outcome.failureType !== 'ACTIVE') this.dropChannel(client);
          resolve(outcome);
        },
      );
      const onAbort = (): void => call.cancel();
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  close(): void {
    this.closed = true;
    if (this.client) this.dropChannel(this.client);
  }

  private fromError(error: ServiceError): HealthCheckOutcome {
    const reason = `gRPC ${status[error.code] ?? error.code}: ${error.details}`;
    switch (error.code) {
      case status.UNAVAILABLE:
        return failure('NETWORK', reason);
      case status.DEADLINE_EXCEEDED:
      case status.CANCELLED:
        return failure('NETWORK_TIMEOUT', reason);
      default:
        // UNIMPLEMENTED (no health service), NOT_FOUND (unknown service_name)...: the host answered, and said no.
        return failure('ACTIVE', reason);
    }
  }

  private dropChannel(client: Client): void {
    if (this.client === client) this.client = undefined;
    client.close();
  }
}

function fromResponse(response: CheckResponse | undefined): HealthCheckOutcome {
  const servingStatus = response?.status ?? 'UNKNOWN';
  return servingStatus === 'SERVING' ? { healthy: true } : failure('ACTIVE', `gRPC health status ${servingStatus}`);
}
