import type { Server } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';

/**
 * grpc.health.v1.Health and server reflection for one gRPC server. Health
 * covers '' (the whole server) and every service of the package definition;
 * it starts NOT_SERVING so nothing is routed here before we are ready.
 */
export class HealthAndReflection {
  readonly health = new HealthImplementation();
  private serviceNames: string[] = [''];
  private overall: ServingStatus = 'NOT_SERVING';

  constructor() {
    this.setAll('NOT_SERVING');
  }

  /** Pass as Nest's `onLoadPackageDefinition`. */
  readonly attach = (pkg: PackageDefinition, server: Pick<Server, 'addService'>): void => {
    const services = Object.keys(pkg).filter((name) => !('format' in pkg[name]));
    this.serviceNames = ['', ...services];
    this.setAll('NOT_SERVING');
    this.health.addToServer(server as Server);
    new ReflectionService(pkg).addToServer(server);
  };

  /** The whole server's status ('' service): what the separate health port answers. */
  get serving(): boolean {
    return this.overall === 'SERVING';
  }

  setAll(status: ServingStatus): void {
    this.overall = status;
    for (const name of this.serviceNames) this.health.setStatus(name, status);
  }
}
