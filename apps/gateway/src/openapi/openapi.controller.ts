import { Controller, Get, Header, Inject } from '@nestjs/common';
import type { RouteTable } from '@zonemesh/routing';
import { ROUTE_TABLE } from '../routing/route-table.provider.js';
import { renderDocsPage } from './docs.page.js';
import { buildOpenApiDocument } from './openapi.document.js';
import type { OpenApiDocument } from './openapi.types.js';

/** /openapi.json and its browsable page /docs, both generated once from the route table. */
@Controller()
export class OpenApiController {
  private readonly document: OpenApiDocument;
  private readonly page: string;

  constructor(@Inject(ROUTE_TABLE) routes: RouteTable) {
    this.document = buildOpenApiDocument(routes);
    this.page = renderDocsPage(this.document);
  }

  @Get('openapi.json')
  openApi(): OpenApiDocument {
    return this.document;
  }

  @Get('docs')
  @Header('content-type', 'text/html; charset=utf-8')
  // The page has no script and loads nothing: forbid both.
  @Header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
  docs(): string {
    return this.page;
  }
}
