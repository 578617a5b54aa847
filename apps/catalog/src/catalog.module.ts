import { Module } from '@nestjs/common';
import { downstreamClients } from '@zonemesh/runtime';
import { CatalogController } from './catalog.controller.js';

// Targets and load balancing come from the environment (eureka:///PRICING or
// ZONEMESH_UPSTREAM_PRICING, zone-aware policy): configuration only.
@Module({
  imports: [downstreamClients('pricing', 'inventory')],
  controllers: [CatalogController],
})
export class CatalogModule {}
