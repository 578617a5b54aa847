import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { GetPriceRequest as _zonemesh_pricing_v1_GetPriceRequest, GetPriceRequest__Output as _zonemesh_pricing_v1_GetPriceRequest__Output } from './zonemesh/pricing/v1/GetPriceRequest.js';
import type { Price as _zonemesh_pricing_v1_Price, Price__Output as _zonemesh_pricing_v1_Price__Output } from './zonemesh/pricing/v1/Price.js';
import type { PricingServiceClient as _zonemesh_pricing_v1_PricingServiceClient, PricingServiceDefinition as _zonemesh_pricing_v1_PricingServiceDefinition } from './zonemesh/pricing/v1/PricingService.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  zonemesh: {
    pricing: {
      v1: {
        GetPriceRequest: MessageTypeDefinition<_zonemesh_pricing_v1_GetPriceRequest, _zonemesh_pricing_v1_GetPriceRequest__Output>
        Price: MessageTypeDefinition<_zonemesh_pricing_v1_Price, _zonemesh_pricing_v1_Price__Output>
        PricingService: SubtypeConstructor<typeof grpc.Client, _zonemesh_pricing_v1_PricingServiceClient> & { service: _zonemesh_pricing_v1_PricingServiceDefinition }
      }
    }
  }
}

