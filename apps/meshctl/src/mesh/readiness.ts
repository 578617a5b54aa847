import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import type { ReadinessProbe } from './mesh-plan.js';

const HealthClient = grpc.makeClientConstructor(healthService, 'grpc.health.v1.Health');

/** One HTTP GET; ready on any 2xx. */
async function httpReady(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** One grpc.health.v1 Check of the whole server (service ""); ready on SERVING. */
function grpcReady(address: string, timeoutMs: number): Promise<boolean> {
  // A private subchannel: the shared pool would hand a restarted instance's probe the dead instance's subchannel, still in reconnect backoff (up to 120 s).
  const client = new HealthClient(address, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 });
  return new Promise<boolean>((resolve) => {
    client.makeUnaryRequest(
      '/grpc.health.v1.Health/Check',
      (request: { service: string }) => healthService.Check!.requestSerialize(request),
      (buffer: Buffer) => healthService.Check!.responseDeserialize(buffer) as { status: string | number },
      { service: '' },
      { deadline: Date.now() + timeoutMs },
      (error, response) => resolve(!error && (response?.status === 'SERVING' || response?.status === 1)),
    );
  }).finally(() => client.close());
}

export function probeOnce(probe: ReadinessProbe, timeoutMs = 1000): Promise<boolean> {
  return probe.kind === 'http' ? httpReady(probe.url, timeoutMs) : grpcReady(probe.address, timeoutMs);
}
