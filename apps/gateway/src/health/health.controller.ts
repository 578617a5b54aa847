import { Controller, Get, Inject } from '@nestjs/common';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../gateway.settings.js';

@Controller()
export class HealthController {
  constructor(@Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings) {}

  /** Liveness of the gateway itself; upstream health is in /admin/clusters. */
  @Get('healthz')
  health(): { status: string; instance: string; zone: string } {
    return { status: 'ok', instance: this.settings.instanceId, zone: this.settings.zone };
  }
}
