import { experimental } from '@grpc/grpc-js';
import { endpointSourceFactory, observeEndpointSchemes, registerEndpointScheme } from './resolver/endpoint-source.js';
import { STATIC_SCHEME, StaticEndpointSource } from './resolver/static.source.js';
import { setupZonemeshBalancer } from './policy/zonemesh.balancer.js';
import { ZonemeshResolver } from './resolver/zonemesh.resolver.js';

let installed = false;

/**
 * Installs zonemesh into grpc-js: the `zonemesh` LB policy, the `static`
 * scheme, and a resolver for every endpoint scheme, including schemes
 * registered later. Idempotent; call it before creating channels, because
 * grpc-js hands a target with an unknown scheme to its DNS resolver.
 */
export function setupZonemeshLb(): void {
  if (installed) return;
  installed = true;
  setupZonemeshBalancer();
  if (!endpointSourceFactory(STATIC_SCHEME)) {
    registerEndpointScheme(STATIC_SCHEME, (target) => new StaticEndpointSource(target));
  }
  observeEndpointSchemes((scheme) => experimental.registerResolver(scheme, ZonemeshResolver));
}
