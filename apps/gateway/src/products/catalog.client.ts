import type { Metadata, CallOptions } from '@grpc/grpc-js';
import type { GetProductRequest, Product__Output } from '@zonemesh/contracts';
import type { Observable } from 'rxjs';

/** DI token of the catalog ClientGrpc (balanced by libs/lb through its channel options). */
export const CATALOG_CLIENT = Symbol('CATALOG_CLIENT');

/** The catalog service as NestJS's ClientGrpc exposes it: request, metadata, call options -> Observable. */
export interface CatalogRpc {
  getProduct(request: GetProductRequest, metadata: Metadata, options: CallOptions): Observable<Product__Output>;
}
