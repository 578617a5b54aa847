import 'reflect-metadata';
import { CATALOG_CONTRACT } from '@zonemesh/contracts';
import { runGrpcService } from '@zonemesh/runtime';
import { CatalogModule } from './catalog.module.js';

// Configured by ZONEMESH_* variables (see libs/runtime loadServiceEnv).
await runGrpcService({ service: 'catalog', module: CatalogModule, grpc: CATALOG_CONTRACT });
