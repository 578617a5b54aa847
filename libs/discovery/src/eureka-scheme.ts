import { registerEndpointScheme } from '@zonemesh/lb';
import { EurekaAppSource, type EurekaAppSourceOptions } from './eureka-app.source.js';

/**
 * Makes `eureka:///<APP>` a channel target: each target gets an
 * EurekaAppSource for the upper-cased app. Call once at start-up (again to
 * point at other registries, e.g. in tests).
 */
export function registerEurekaScheme(options: EurekaAppSourceOptions): void {
  registerEndpointScheme('eureka', (target) => new EurekaAppSource(target.path.toUpperCase(), options));
}
