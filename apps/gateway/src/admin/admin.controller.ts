import { Controller, Get, Inject } from '@nestjs/common';
import { clustersView, type ClustersView } from '@zonemesh/runtime';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../gateway.settings.js';

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
    return clustersView({ instance: this.settings.instanceId, zone: this.settings.zone });
  }
}
