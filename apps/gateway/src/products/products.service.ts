import { Metadata } from '@grpc/grpc-js';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { CATALOG_CONTRACT, type Product__Output } from '@zonemesh/contracts';
import { firstValueFrom } from 'rxjs';
import { CATALOG_CLIENT, type CatalogRpc } from './catalog.client.js';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../gateway.settings.js';

export interface ProductView {
  readonly id: string;
  readonly name: string;
  readonly apiVersion: string;
  readonly price: Product__Output['price'];
  readonly stock: Product__Output['stock'];
  readonly servedBy: { readonly catalog: string; readonly pricing: string; readonly inventory: string };
}

/** Headers that travel with the call through every hop (routing decision, correlation, tracing). */
const PROPAGATED = ['x-request-id', 'traceparent', 'tracestate'] as const;

@Injectable()
export class ProductsService implements OnModuleInit {
  private catalog!: CatalogRpc;

  constructor(
    @Inject(CATALOG_CLIENT) private readonly client: ClientGrpc,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
  ) {}

  onModuleInit(): void {
    this.catalog = this.client.getService<CatalogRpc>(CATALOG_CONTRACT.service);
  }

  async getProduct(id: string, apiVersion: string, headers: Record<string, string | string[] | undefined>, requestId: string): Promise<ProductView> {
    const metadata = new Metadata();
    metadata.set('x-api-version', apiVersion);
    metadata.set('x-request-id', requestId);
    for (const key of PROPAGATED) {
      const value = headers[key];
      if (key !== 'x-request-id' && typeof value === 'string') metadata.set(key, value);
    }
    const product = await firstValueFrom(
      this.catalog.getProduct({ id }, metadata, { deadline: Date.now() + this.settings.upstreamTimeoutMs }),
    );
    return {
      id: product.id,
      name: product.name,
      apiVersion,
      price: product.price,
      stock: product.stock,
      servedBy: {
        catalog: product.servedBy?.catalog ?? '',
        pricing: product.servedBy?.pricing ?? '',
        inventory: product.servedBy?.inventory ?? '',
      },
    };
  }
}
