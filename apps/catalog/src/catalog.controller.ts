import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Inject, type OnModuleInit } from '@nestjs/common';
import { GrpcMethod, type ClientGrpc } from '@nestjs/microservices';
import {
  CATALOG_CONTRACT,
  INVENTORY_CONTRACT,
  PRICING_CONTRACT,
  productIdProblem,
  type GetProductRequest__Output,
  type Product,
} from '@zonemesh/contracts';
import { SERVICE_ENV, connectDownstream, downstreamClientToken, downstreamError, forwardMetadata, rpcError, type ServiceEnv } from '@zonemesh/runtime';
import { firstValueFrom, type Observable } from 'rxjs';
import type { InventoryApi, PricingApi } from './downstream-apis.js';
import { productName } from './product-names.js';

// Budget for each downstream call; the caller's own deadline wins if sooner.
const DOWNSTREAM_DEADLINE_MS = 2_000;

@Controller()
export class CatalogController implements OnModuleInit {
  private pricing!: PricingApi;
  private inventory!: InventoryApi;

  constructor(
    @Inject(SERVICE_ENV) private readonly env: ServiceEnv,
    @Inject(downstreamClientToken('pricing')) private readonly pricingClient: ClientGrpc,
    @Inject(downstreamClientToken('inventory')) private readonly inventoryClient: ClientGrpc,
  ) {}

  onModuleInit(): void {
    this.pricing = this.pricingClient.getService<PricingApi>(PRICING_CONTRACT.service);
    this.inventory = this.inventoryClient.getService<InventoryApi>(INVENTORY_CONTRACT.service);
    connectDownstream(this.pricingClient, PRICING_CONTRACT.service);
    connectDownstream(this.inventoryClient, INVENTORY_CONTRACT.service);
  }

  @GrpcMethod(CATALOG_CONTRACT.service, 'GetProduct')
  async getProduct(request: GetProductRequest__Output, metadata: Metadata, call: ServerUnaryCall<unknown, unknown>): Promise<Product> {
    const problem = productIdProblem(request.id);
    if (problem) throw rpcError(problem.code, problem.message);

    const deadline = Math.min(Date.now() + DOWNSTREAM_DEADLINE_MS, Number(call.getDeadline()) || Infinity);
    const forwarded = forwardMetadata(metadata);
    const [price, stock] = await Promise.all([
      downstream('pricing', this.pricing.getPrice({ productId: request.id }, forwarded.clone(), { deadline })),
      downstream('inventory', this.inventory.getStock({ productId: request.id }, forwarded.clone(), { deadline })),
    ]);

    return {
      id: request.id,
      name: productName(request.id),
      price: {
        amount: price.amount,
        currency: price.currency,
        version: price.version,
        discountPercent: price.discountPercent,
        tax: price.tax,
        total: price.total,
        requestedApiVersion: price.requestedApiVersion,
      },
      stock: { available: stock.available, warehouse: stock.warehouse },
      servedBy: { catalog: this.env.instanceId, pricing: price.servedBy, inventory: stock.servedBy },
    };
  }
}

async function downstream<T>(name: string, response: Observable<T>): Promise<T> {
  try {
    return await firstValueFrom(response);
  } catch (error) {
    throw downstreamError(name, error);
  }
}
