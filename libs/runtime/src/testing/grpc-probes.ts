import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadContracts, type ServiceContract } from '@zonemesh/contracts';
import { protoPath as healthProtoPath } from 'grpc-health-check';

const require = createRequire(import.meta.url);
const reflectionProto = join(dirname(require.resolve('@grpc/reflection/package.json')), 'build/proto/grpc/reflection/v1/reflection.proto');

type Ctor = new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ChannelOptions) => grpc.Client;

function serviceCtor(definition: grpc.GrpcObject, fullName: string): Ctor {
  let node: unknown = definition;
  for (const part of fullName.split('.')) node = (node as Record<string, unknown>)[part];
  return node as Ctor;
}

/**
 * A plain grpc-js client for a mesh service (typed as its generated client,
 * e.g. `contractClient<PricingServiceClient>(address, PRICING_CONTRACT)`).
 */
export function contractClient<T extends grpc.Client>(address: string, contract: ServiceContract, options?: grpc.ChannelOptions): T {
  const Client = serviceCtor(grpc.loadPackageDefinition(loadContracts([contract.protoPath])), contract.fullName);
  return new Client(address, grpc.credentials.createInsecure(), options) as T;
}

/** Calls a unary method and resolves with the response or rejects with the grpc ServiceError. */
export function callUnary<Res>(
  client: grpc.Client,
  method: string,
  request: unknown,
  metadata = new grpc.Metadata(),
  options: grpc.CallOptions = { deadline: Date.now() + 5_000 },
): Promise<Res> {
  return new Promise((resolve, reject) => {
    type UnaryMethod = (req: unknown, md: grpc.Metadata, opts: grpc.CallOptions, cb: grpc.requestCallback<Res>) => unknown;
    const call = (client as unknown as Record<string, UnaryMethod>)[method].bind(client);
    call(request, metadata, options, (error, response) => (error ? reject(error) : resolve(response as Res)));
  });
}

/** grpc.health.v1.Health/Check: resolves with the status name, e.g. 'SERVING'. */
export async function healthCheck(address: string, service = ''): Promise<string> {
  const definition = grpc.loadPackageDefinition(loadSync(healthProtoPath, { enums: String, defaults: true }));
  const client = new (serviceCtor(definition, 'grpc.health.v1.Health'))(address, grpc.credentials.createInsecure());
  try {
    const response = await callUnary<{ status: string }>(client, 'Check', { service });
    return response.status;
  } finally {
    client.close();
  }
}

/** Server reflection (grpc.reflection.v1) `list_services`: the fully qualified service names. */
export function reflectionListServices(address: string): Promise<string[]> {
  const definition = grpc.loadPackageDefinition(loadSync(reflectionProto, { keepCase: true, defaults: true, oneofs: true }));
  const client = new (serviceCtor(definition, 'grpc.reflection.v1.ServerReflection'))(address, grpc.credentials.createInsecure());
  interface ListServicesResponse {
    list_services_response?: { service: { name: string }[] };
  }
  return new Promise<string[]>((resolve, reject) => {
    const call = (
      client as unknown as { ServerReflectionInfo(options: grpc.CallOptions): grpc.ClientDuplexStream<unknown, ListServicesResponse> }
    ).ServerReflectionInfo({ deadline: Date.now() + 5_000 });
    call.on('data', (response: ListServicesResponse) => {
      resolve((response.list_services_response?.service ?? []).map((s) => s.name));
      call.end();
    });
    call.on('error', reject);
    call.write({ host: '', list_services: '' });
  }).finally(() => client.close());
}

/** A running grpc.health.v1 Watch: every status the server pushed, in order. */
export interface HealthWatch {
  readonly statuses: readonly string[];
  close(): void;
}

/** Opens grpc.health.v1.Health/Watch for `service` and records what it streams. */
export function watchHealth(address: string, service = ''): HealthWatch {
  const definition = grpc.loadPackageDefinition(loadSync(healthProtoPath, { enums: String, defaults: true }));
  const client = new (serviceCtor(definition, 'grpc.health.v1.Health'))(address, grpc.credentials.createInsecure());
  const statuses: string[] = [];
  const call = (client as unknown as { Watch(request: { service: string }): grpc.ClientReadableStream<{ status: string }> }).Watch({ service });
  call.on('data', (response: { status: string }) => statuses.push(response.status));
  call.on('error', () => undefined); // ends with CANCELLED or UNAVAILABLE when the server goes away
  return {
    statuses,
    close: () => {
      call.cancel();
      client.close();
    },
  };
}
