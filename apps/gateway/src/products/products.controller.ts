import { Controller, Get, Inject, Param, Req } from '@nestjs/common';
import { pathOf, type RouteTable } from '@zonemesh/routing';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error.js';
import { noteRoute, noteUpstream } from '../http/access-log.js';
import { requestTraceContext } from '../http/tracing-hooks.js';
import { ROUTE_TABLE } from '../routing/route-table.provider.js';
import { checkApiVersionHeader } from './api-version.js';
import { parseProductId } from './product-id.js';
import { ProductsService, type ProductView } from './products.service.js';

/**
 * The product endpoints. Which API version a request gets is the route
 * table's decision (mesh.yaml `routes:`), not this controller's: it only
 * refuses what no route could serve (a bad id, a malformed version header).
 */
@Controller('api')
export class ProductsController {
  constructor(
    private readonly products: ProductsService,
    @Inject(ROUTE_TABLE) private readonly routes: RouteTable,
  ) {}

  @Get('products/:id')
  getProduct(@Param('id') id: string, @Req() request: FastifyRequest): Promise<ProductView> {
    return this.route(parseProductId(id), request);
  }

  /** `/api/v2/products/1`: the shipped routes send a path version ahead of any header. */
  @Get(':version/products/:id')
  getVersionedProduct(@Param('id') id: string, @Req() request: FastifyRequest): Promise<ProductView> {
    return this.route(parseProductId(id), request);
  }

  private async route(id: string, request: FastifyRequest): Promise<ProductView> {
    checkApiVersionHeader(request.headers['x-api-version']);
    const route = this.routes.match({ method: request.method, path: pathOf(request.url), headers: request.headers });
    if (route === undefined) throw new ApiError(404, 'NOT_FOUND', 'no route matches this request');
    const apiVersion = route.pickVersion(Math.random());
    noteRoute(request, route.name, route.cluster, apiVersion);
    const product = await this.products.getProduct(id, apiVersion, request.headers, String(request.id), {
      timeoutMs: route.timeoutMs,
      ...(route.perTry ? { perTry: route.perTry } : {}),
      traceContext: requestTraceContext(request),
    });
    noteUpstream(request, product.servedBy.catalog);
    return product;
  }
}
