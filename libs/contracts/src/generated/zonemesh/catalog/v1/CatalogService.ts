// Original file: proto/catalog.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetProductRequest as _zonemesh_catalog_v1_GetProductRequest, GetProductRequest__Output as _zonemesh_catalog_v1_GetProductRequest__Output } from '../../../zonemesh/catalog/v1/GetProductRequest.js';
import type { Product as _zonemesh_catalog_v1_Product, Product__Output as _zonemesh_catalog_v1_Product__Output } from '../../../zonemesh/catalog/v1/Product.js';

export interface CatalogServiceClient extends grpc.Client {
  GetProduct(argument: _zonemesh_catalog_v1_GetProductRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zonemesh_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  GetProduct(argument: _zonemesh_catalog_v1_GetProductRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zonemesh_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  GetProduct(argument: _zonemesh_catalog_v1_GetProductRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zonemesh_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  GetProduct(argument: _zonemesh_catalog_v1_GetProductRequest, callback: grpc.requestCallback<_zonemesh_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  getProduct(argument: _zonemesh_catalog_v1_GetProductRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zonemesh_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  getProduct(argument: _zonemesh_catalog_v1_GetProductRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zonemesh_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  getProduct(argument: _zonemesh_catalog_v1_GetProductRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zonemesh_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  getProduct(argument: _zonemesh_catalog_v1_GetProductRequest, callback: grpc.requestCallback<_zonemesh_catalog_v1_Product__Output>): grpc.ClientUnaryCall;
  
}

export interface CatalogServiceHandlers extends grpc.UntypedServiceImplementation {
  GetProduct: grpc.handleUnaryCall<_zonemesh_catalog_v1_GetProductRequest__Output, _zonemesh_catalog_v1_Product>;
  
}

export interface CatalogServiceDefinition extends grpc.ServiceDefinition {
  GetProduct: MethodDefinition<_zonemesh_catalog_v1_GetProductRequest, _zonemesh_catalog_v1_Product, _zonemesh_catalog_v1_GetProductRequest__Output, _zonemesh_catalog_v1_Product__Output>
}
