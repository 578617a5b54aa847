import type { Client } from '@grpc/grpc-js';
import type { DynamicModule } from '@nestjs/common';
import { ClientsModule, Transport, type ClientGrpc, type ClientProviderOptions, type GrpcOptions } from '@nestjs/microservices';
import { SERVICE_CONTRACTS, contractLoaderOptions, type MeshServiceName } from '@zonemesh/contracts';
import { ensureMeshResolution, meshChannelOptions, meshTarget } from './mesh-bindings.js';
import type { ServiceEnv } from './service-env.js';
import { SERVICE_ENV } from './service-env.module.js';

/** DI token of the ClientGrpc for a downstream service: `@Inject(downstreamClientToken('pricing'))`. */
export const downstreamClientToken = (service: MeshServiceName): string => `zonemesh.client.${service}`;

/**
 * The channel target for a downstream service, from its cluster in
 * ZONEMESH_CLUSTERS_FILE (mesh.yaml), the one place targets are written:
 * a `static` cluster's endpoints (`static:///a:1,b:2?zones=...`), an
 * `eureka` cluster's app through this process's registries. A service with
 * no cluster there is looked up in the registries as its own name upper-cased.
 * Throws a one-line error when the target cannot be found.
 */
export function downstreamTarget(service: MeshServiceName, env: ServiceEnv): string {
  return meshTarget(env, service);
}

/**
 * ClientsModule options for calling `service` through the mesh: the target
 * from downstreamTarget and channel options selecting the zonemesh LB policy
 * for this zone. Registers the policy and the eureka scheme on first use, so
 * apps need configuration only.
 */
export function downstreamClient(options: { service: MeshServiceName; env: ServiceEnv }): ClientProviderOptions {
  const { service, env } = options;
  const contract = SERVICE_CONTRACTS[service];
  const url = downstreamTarget(service, env);
  ensureMeshResolution(env);
  const grpc: GrpcOptions = {
    transport: Transport.GRPC,
    options: {
      url,
      package: contract.package,
      protoPath: contract.protoPath,
      loader: contractLoaderOptions,
      channelOptions: meshChannelOptions(env, service),
    },
  };
  return { name: downstreamClientToken(service), ...grpc };
}

/**
 * A module providing a ClientGrpc per listed service, built from the
 * injected ServiceEnv (available under startGrpcService).
 */
export function downstreamClients(...services: MeshServiceName[]): DynamicModule {
  return ClientsModule.registerAsync(
    services.map((service) => ({
      name: downstreamClientToken(service),
      inject: [SERVICE_ENV],
      useFactory: (env: ServiceEnv) => {
        const { name: _name, ...client } = downstreamClient({ service, env });
        return client;
      },
    })),
  );
}

/**
 * Takes a downstream channel out of IDLE now. grpc-js starts resolving and
 * connecting (and the zonemesh policy health-checking) only at the first
 * call: an instance that has not served yet has no LB view of its
 * downstreams, and its first call after a failover pays the connect of
 * every endpoint inside its deadline. Connecting at start-up gives it a
 * warm, health-checked view before traffic arrives, as Envoy's clusters
 * have.
 */
export function connectDownstream(client: ClientGrpc, serviceName: string): void {
  client.getClientByServiceName<Client>(serviceName).getChannel().getConnectivityState(true);
}
