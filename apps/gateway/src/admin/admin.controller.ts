import { Controller, Get, Inject } from '@nestjs/common';
import { clusterSnapshots, type ClusterSnapshot } from '@zonemesh/lb';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../gateway.settings.js';

export interface ClustersView {
  readonly instance: string;
  readonly zone: string;
  readonly generatedAt: string;
  readonly clusters: readonly ClusterSnapshot[];
}

/**
 * Envoy's /clusters admin page in JSON: every cluster this gateway calls,
 * every endpoint with zone, health, outlier state, in-flight and totals.
 * Read-only, so it is safe to poll from scenarios and `zonemesh status`.
 */
@Controller('admin')
export class AdminController {
  constructor(@Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings) {}

  @Get('clusters')
  clusters(): ClustersView {
    return {
      instance: this.settings.instanceId,
      zone: this.settings.zone,
      generatedAt: new Date().toISOString(),
      clusters: clusterSnapshots(),
    };
  }
}
