import type { Metadata } from '@grpc/grpc-js';
import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { PRICING_CONTRACT, productIdProblem, type GetPriceRequest__Output, type Price } from '@zonemesh/contracts';
import { SERVICE_ENV, metadataValue, rpcError, type ServiceEnv } from '@zonemesh/runtime';
import { priceFor } from './price-book.js';

@Controller()
export class PricingController {
  constructor(@Inject(SERVICE_ENV) private readonly env: ServiceEnv) {}

  @GrpcMethod(PRICING_CONTRACT.service, 'GetPrice')
  getPrice(request: GetPriceRequest__Output, metadata: Metadata): Price {
    const problem = productIdProblem(request.productId);
    if (problem) throw rpcError(problem.code, problem.message);
    return {
      ...priceFor(request.productId, this.env.version),
      servedBy: this.env.instanceId,
      requestedApiVersion: metadataValue(metadata, 'x-api-version'),
    };
  }
}
