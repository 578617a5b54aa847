// Original file: proto/inventory.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetStockRequest as _zonemesh_inventory_v1_GetStockRequest, GetStockRequest__Output as _zonemesh_inventory_v1_GetStockRequest__Output } from '../../../zonemesh/inventory/v1/GetStockRequest.js';
import type { Stock as _zonemesh_inventory_v1_Stock, Stock__Output as _zonemesh_inventory_v1_Stock__Output } from '../../../zonemesh/inventory/v1/Stock.js';

export interface InventoryServiceClient extends grpc.Client {
  GetStock(argument: _zonemesh_inventory_v1_GetStockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zonemesh_inventory_v1_Stock__Output>): grpc.ClientUnaryCall;
  GetStock(argument: _zonemesh_inventory_v1_GetStockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zonemesh_inventory_v1_Stock__Output>): grpc.ClientUnaryCall;
  GetStock(argument: _zonemesh_inventory_v1_GetStockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zonemesh_inventory_v1_Stock__Output>): grpc.ClientUnaryCall;
  GetStock(argument: _zonemesh_inventory_v1_GetStockRequest, callback: grpc.requestCallback<_zonemesh_inventory_v1_Stock__Output>): grpc.ClientUnaryCall;
  getStock(argument: _zonemesh_inventory_v1_GetStockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zonemesh_inventory_v1_Stock__Output>): grpc.ClientUnaryCall;
  getStock(argument: _zonemesh_inventory_v1_GetStockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zonemesh_inventory_v1_Stock__Output>): grpc.ClientUnaryCall;
  getStock(argument: _zonemesh_inventory_v1_GetStockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zonemesh_inventory_v1_Stock__Output>): grpc.ClientUnaryCall;
  getStock(argument: _zonemesh_inventory_v1_GetStockRequest, callback: grpc.requestCallback<_zonemesh_inventory_v1_Stock__Output>): grpc.ClientUnaryCall;
  
}

export interface InventoryServiceHandlers extends grpc.UntypedServiceImplementation {
  GetStock: grpc.handleUnaryCall<_zonemesh_inventory_v1_GetStockRequest__Output, _zonemesh_inventory_v1_Stock>;
  
}

export interface InventoryServiceDefinition extends grpc.ServiceDefinition {
  GetStock: MethodDefinition<_zonemesh_inventory_v1_GetStockRequest, _zonemesh_inventory_v1_Stock, _zonemesh_inventory_v1_GetStockRequest__Output, _zonemesh_inventory_v1_Stock__Output>
}
