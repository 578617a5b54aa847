import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { INVENTORY_CONTRACT, productIdProblem, type GetStockRequest__Output, type Stock } from '@zonemesh/contracts';
import { SERVICE_ENV, rpcError, type ServiceEnv } from '@zonemesh/runtime';
import { stockFor } from './stock-book.js';

@Controller()
export class InventoryController {
  constructor(@Inject(SERVICE_ENV) private readonly env: ServiceEnv) {}

  @GrpcMethod(INVENTORY_CONTRACT.service, 'GetStock')
  getStock(request: GetStockRequest__Output): Stock {
    const problem = productIdProblem(request.productId);
    if (problem) throw rpcError(problem.code, problem.message);
    return { ...stockFor(request.productId), servedBy: this.env.instanceId };
  }
}
