import 'reflect-metadata';
import { INVENTORY_CONTRACT } from '@zonemesh/contracts';
import { runGrpcService } from '@zonemesh/runtime';
import { InventoryModule } from './inventory.module.js';

// Configured by ZONEMESH_* variables (see libs/runtime loadServiceEnv).
await runGrpcService({ service: 'inventory', module: InventoryModule, grpc: INVENTORY_CONTRACT });
