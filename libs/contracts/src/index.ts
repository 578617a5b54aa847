export * from './proto-paths.js';
export * from './loader-options.js';
export * from './service-contracts.js';
export * from './load-contracts.js';
export * from './product-id.js';

export type { ProtoGrpcType as CatalogProtoGrpcType } from './generated/catalog.js';
export type { ProtoGrpcType as PricingProtoGrpcType } from './generated/pricing.js';
export type { ProtoGrpcType as InventoryProtoGrpcType } from './generated/inventory.js';

export type { GetProductRequest, GetProductRequest__Output } from './generated/zonemesh/catalog/v1/GetProductRequest.js';
export type { Product, Product__Output } from './generated/zonemesh/catalog/v1/Product.js';
export type { ProductPrice, ProductPrice__Output } from './generated/zonemesh/catalog/v1/ProductPrice.js';
export type { ProductStock, ProductStock__Output } from './generated/zonemesh/catalog/v1/ProductStock.js';
export type { ServedBy, ServedBy__Output } from './generated/zonemesh/catalog/v1/ServedBy.js';
export type {
  CatalogServiceClient,
  CatalogServiceDefinition,
  CatalogServiceHandlers,
} from './generated/zonemesh/catalog/v1/CatalogService.js';

export type { GetPriceRequest, GetPriceRequest__Output } from './generated/zonemesh/pricing/v1/GetPriceRequest.js';
export type { Price, Price__Output } from './generated/zonemesh/pricing/v1/Price.js';
export type {
  PricingServiceClient,
  PricingServiceDefinition,
  PricingServiceHandlers,
} from './generated/zonemesh/pricing/v1/PricingService.js';

export type { GetStockRequest, GetStockRequest__Output } from './generated/zonemesh/inventory/v1/GetStockRequest.js';
export type { Stock, Stock__Output } from './generated/zonemesh/inventory/v1/Stock.js';
export type {
  InventoryServiceClient,
  InventoryServiceDefinition,
  InventoryServiceHandlers,
} from './generated/zonemesh/inventory/v1/InventoryService.js';
