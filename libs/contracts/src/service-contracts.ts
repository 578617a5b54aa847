import { CATALOG_PROTO_PATH, INVENTORY_PROTO_PATH, PRICING_PROTO_PATH } from './proto-paths.js';

/** Where a gRPC service of the mesh is defined and what it is called on the wire. */
export interface ServiceContract {
  /** Protobuf package, e.g. `zonemesh.catalog.v1`. */
  readonly package: string;
  /** Service name inside the package, e.g. `CatalogService` (what @GrpcMethod takes). */
  readonly service: string;
  /** Fully qualified name, used by health checks and reflection. */
  readonly fullName: string;
  /** Absolute path of the .proto file. */
  readonly protoPath: string;
}

const contract = (pkg: string, service: string, protoPath: string): ServiceContract =>
  Object.freeze({ package: pkg, service, fullName: `${pkg}.${service}`, protoPath });

export const CATALOG_PACKAGE = 'zonemesh.catalog.v1';
export const PRICING_PACKAGE = 'zonemesh.pricing.v1';
export const INVENTORY_PACKAGE = 'zonemesh.inventory.v1';

export const CATALOG_CONTRACT = contract(CATALOG_PACKAGE, 'CatalogService', CATALOG_PROTO_PATH);
export const PRICING_CONTRACT = contract(PRICING_PACKAGE, 'PricingService', PRICING_PROTO_PATH);
export const INVENTORY_CONTRACT = contract(INVENTORY_PACKAGE, 'InventoryService', INVENTORY_PROTO_PATH);

/** Every service of the mesh, keyed by the name processes are started with. */
export const SERVICE_CONTRACTS = Object.freeze({
  catalog: CATALOG_CONTRACT,
  pricing: PRICING_CONTRACT,
  inventory: INVENTORY_CONTRACT,
});

export type MeshServiceName = keyof typeof SERVICE_CONTRACTS;
