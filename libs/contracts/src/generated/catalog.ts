import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { CatalogServiceClient as _zonemesh_catalog_v1_CatalogServiceClient, CatalogServiceDefinition as _zonemesh_catalog_v1_CatalogServiceDefinition } from './zonemesh/catalog/v1/CatalogService.js';
import type { GetProductRequest as _zonemesh_catalog_v1_GetProductRequest, GetProductRequest__Output as _zonemesh_catalog_v1_GetProductRequest__Output } from './zonemesh/catalog/v1/GetProductRequest.js';
import type { Product as _zonemesh_catalog_v1_Product, Product__Output as _zonemesh_catalog_v1_Product__Output } from './zonemesh/catalog/v1/Product.js';
import type { ProductPrice as _zonemesh_catalog_v1_ProductPrice, ProductPrice__Output as _zonemesh_catalog_v1_ProductPrice__Output } from './zonemesh/catalog/v1/ProductPrice.js';
import type { ProductStock as _zonemesh_catalog_v1_ProductStock, ProductStock__Output as _zonemesh_catalog_v1_ProductStock__Output } from './zonemesh/catalog/v1/ProductStock.js';
import type { ServedBy as _zonemesh_catalog_v1_ServedBy, ServedBy__Output as _zonemesh_catalog_v1_ServedBy__Output } from './zonemesh/catalog/v1/ServedBy.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  zonemesh: {
    catalog: {
      v1: {
        CatalogService: SubtypeConstructor<typeof grpc.Client, _zonemesh_catalog_v1_CatalogServiceClient> & { service: _zonemesh_catalog_v1_CatalogServiceDefinition }
        GetProductRequest: MessageTypeDefinition<_zonemesh_catalog_v1_GetProductRequest, _zonemesh_catalog_v1_GetProductRequest__Output>
        Product: MessageTypeDefinition<_zonemesh_catalog_v1_Product, _zonemesh_catalog_v1_Product__Output>
        ProductPrice: MessageTypeDefinition<_zonemesh_catalog_v1_ProductPrice, _zonemesh_catalog_v1_ProductPrice__Output>
        ProductStock: MessageTypeDefinition<_zonemesh_catalog_v1_ProductStock, _zonemesh_catalog_v1_ProductStock__Output>
        ServedBy: MessageTypeDefinition<_zonemesh_catalog_v1_ServedBy, _zonemesh_catalog_v1_ServedBy__Output>
      }
    }
  }
}

