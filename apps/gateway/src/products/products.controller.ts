import { Controller, Get, Headers, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { requestTraceContext } from '../http/tracing-hooks.js';
import { pathApiVersion, requestedApiVersion } from './api-version.js';
import { parseProductId } from './product-id.js';
import { ProductsService, type ProductView } from './products.service.js';

@Controller('api')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get('products/:id')
  getProduct(@Param('id') id: string, @Headers() headers: Record<string, string>, @Req() request: FastifyRequest): Promise<ProductView> {
    const version = requestedApiVersion(headers['x-api-version']);
    return this.products.getProduct(parseProductId(id), version, headers, String(request.id), requestTraceContext(request));
  }

  /** `/api/v2/products/1`: the path prefix selects the version, whatever the header says. */
  @Get(':version/products/:id')
  getVersionedProduct(
    @Param('version') version: string,
    @Param('id') id: string,
    @Headers() headers: Record<string, string>,
    @Req() request: FastifyRequest,
  ): Promise<ProductView> {
    return this.products.getProduct(parseProductId(id), pathApiVersion(version), headers, String(request.id), requestTraceContext(request));
  }
}
