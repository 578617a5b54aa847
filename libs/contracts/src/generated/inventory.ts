import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { GetStockRequest as _zonemesh_inventory_v1_GetStockRequest, GetStockRequest__Output as _zonemesh_inventory_v1_GetStockRequest__Output } from './zonemesh/inventory/v1/GetStockRequest.js';
import type { InventoryServiceClient as _zonemesh_inventory_v1_InventoryServiceClient, InventoryServiceDefinition as _zonemesh_inventory_v1_InventoryServiceDefinition } from './zonemesh/inventory/v1/InventoryService.js';
import type { Stock as _zonemesh_inventory_v1_Stock, Stock__Output as _zonemesh_inventory_v1_Stock__Output } from './zonemesh/inventory/v1/Stock.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  zonemesh: {
    inventory: {
      v1: {
        GetStockRequest: MessageTypeDefinition<_zonemesh_inventory_v1_GetStockRequest, _zonemesh_inventory_v1_GetStockRequest__Output>
        InventoryService: SubtypeConstructor<typeof grpc.Client, _zonemesh_inventory_v1_InventoryServiceClient> & { service: _zonemesh_inventory_v1_InventoryServiceDefinition }
        Stock: MessageTypeDefinition<_zonemesh_inventory_v1_Stock, _zonemesh_inventory_v1_Stock__Output>
      }
    }
  }
}

