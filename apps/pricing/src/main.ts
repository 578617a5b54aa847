import 'reflect-metadata';
import { PRICING_CONTRACT } from '@zonemesh/contracts';
import { runGrpcService } from '@zonemesh/runtime';
import { PricingModule } from './pricing.module.js';

// Configured by ZONEMESH_* variables (see libs/runtime loadServiceEnv);
// ZONEMESH_VERSION=v2 runs pricing v2.
await runGrpcService({ service: 'pricing', module: PricingModule, grpc: PRICING_CONTRACT });
