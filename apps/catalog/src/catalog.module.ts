import { Module } from '@nestjs/common';
import { downstreamClients } from '@zonemesh/runtime';
import { CatalogController } from './catalog.controller.js';

// Targets and load balancing come from the pricing and inventory clusters of
// ZONEMESH_CLUSTERS_FILE (mesh.yaml; eureka app or static endpoints): configuration only.
@Module({
  imports: [downstreamClients('pricing', 'inventory')],
  controllers: [CatalogController],
})
export class CatalogModule {}
