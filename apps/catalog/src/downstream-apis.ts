import type { CallOptions, Metadata } from '@grpc/grpc-js';
import type { GetPriceRequest, GetStockRequest, Price__Output, Stock__Output } from '@zonemesh/contracts';
import type { Observable } from 'rxjs';

/** PricingService as Nest's ClientGrpc exposes it. */
export interface PricingApi {
  getPrice(request: GetPriceRequest, metadata?: Metadata, options?: CallOptions): Observable<Price__Output>;
}

/** InventoryService as Nest's ClientGrpc exposes it. */
export interface InventoryApi {
  getStock(request: GetStockRequest, metadata?: Metadata, options?: CallOptions): Observable<Stock__Output>;
}
