import { PER_TRY_OVERRIDE, type PerTryOverride } from '@zonemesh/lb';
import { Metadata } from '@grpc/grpc-js';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { context, trace, type Context } from '@opentelemetry/api';
import type { ClientGrpc } from '@nestjs/microservices';
import { CATALOG_CONTRACT, type Product__Output } from '@zonemesh/contracts';
import { connectDownstream } from '@zonemesh/runtime';
import { propagateTraceContext, ZONEMESH_API_VERSION } from '@zonemesh/telemetry';
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

@Injectable()
export class ProductsService implements OnModuleInit {
  private catalog!: CatalogRpc;

  constructor(
    @Inject(CATALOG_CLIENT) private readonly client: ClientGrpc,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
  ) {}

  onModuleInit(): void {
    this.catalog = this.client.getService<CatalogRpc>(CATALOG_CONTRACT.service);
    connectDownstream(this.client, CATALOG_CONTRACT.service);
  }

  /**
   * Asks catalog for the product at `apiVersion`, which travels as gRPC
   * metadata `x-api-version` (the pricing cluster's subset key) with the
   * request id. The call runs in `traceContext` (the HTTP request's server
   * span): the channel's tracing interceptor wraps it in a CLIENT span and
   * sends that span as traceparent. Untraced, the caller's
   * traceparent/tracestate travel on unchanged. The deadline is the route's.
   */
  async getProduct(
    id: string,
    apiVersion: string,
    headers: Record<string, string | string[] | undefined>,
    requestId: string,
    options: { readonly timeoutMs?: number; readonly perTry?: PerTryOverride; readonly traceContext?: Context } = {},
  ): Promise<ProductView> {
    const traceContext = options.traceContext ?? context.active();
    const timeoutMs = options.timeoutMs ?? this.settings.upstreamTimeoutMs;
    trace.getSpan(traceContext)?.setAttribute(ZONEMESH_API_VERSION, apiVersion);
    const metadata = new Metadata();
    metadata.set('x-api-version', apiVersion);
    metadata.set('x-request-id', requestId);
    propagateTraceContext(metadata, (key) => {
      const value = headers[key];
      return typeof value === 'string' ? value : undefined;
    }, traceContext);
    const product = await context.with(traceContext, () =>
      // The route's per-try settings travel as a call option to libs/lb's per-try interceptor.
      firstValueFrom(this.catalog.getProduct({ id }, metadata, { deadline: Date.now() + timeoutMs, ...(options.perTry ? { [PER_TRY_OVERRIDE]: options.perTry } : {}) })),
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
