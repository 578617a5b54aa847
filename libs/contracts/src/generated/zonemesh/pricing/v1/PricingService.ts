// Original file: proto/pricing.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetPriceRequest as _zonemesh_pricing_v1_GetPriceRequest, GetPriceRequest__Output as _zonemesh_pricing_v1_GetPriceRequest__Output } from '../../../zonemesh/pricing/v1/GetPriceRequest.js';
import type { Price as _zonemesh_pricing_v1_Price, Price__Output as _zonemesh_pricing_v1_Price__Output } from '../../../zonemesh/pricing/v1/Price.js';

export interface PricingServiceClient extends grpc.Client {
  GetPrice(argument: _zonemesh_pricing_v1_GetPriceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zonemesh_pricing_v1_Price__Output>): grpc.ClientUnaryCall;
  GetPrice(argument: _zonemesh_pricing_v1_GetPriceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zonemesh_pricing_v1_Price__Output>): grpc.ClientUnaryCall;
  GetPrice(argument: _zonemesh_pricing_v1_GetPriceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zonemesh_pricing_v1_Price__Output>): grpc.ClientUnaryCall;
  GetPrice(argument: _zonemesh_pricing_v1_GetPriceRequest, callback: grpc.requestCallback<_zonemesh_pricing_v1_Price__Output>): grpc.ClientUnaryCall;
  getPrice(argument: _zonemesh_pricing_v1_GetPriceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zonemesh_pricing_v1_Price__Output>): grpc.ClientUnaryCall;
  getPrice(argument: _zonemesh_pricing_v1_GetPriceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_zonemesh_pricing_v1_Price__Output>): grpc.ClientUnaryCall;
  getPrice(argument: _zonemesh_pricing_v1_GetPriceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_zonemesh_pricing_v1_Price__Output>): grpc.ClientUnaryCall;
  getPrice(argument: _zonemesh_pricing_v1_GetPriceRequest, callback: grpc.requestCallback<_zonemesh_pricing_v1_Price__Output>): grpc.ClientUnaryCall;
  
}

export interface PricingServiceHandlers extends grpc.UntypedServiceImplementation {
  GetPrice: grpc.handleUnaryCall<_zonemesh_pricing_v1_GetPriceRequest__Output, _zonemesh_pricing_v1_Price>;
  
}

export interface PricingServiceDefinition extends grpc.ServiceDefinition {
  GetPrice: MethodDefinition<_zonemesh_pricing_v1_GetPriceRequest, _zonemesh_pricing_v1_Price, _zonemesh_pricing_v1_GetPriceRequest__Output, _zonemesh_pricing_v1_Price__Output>
}
