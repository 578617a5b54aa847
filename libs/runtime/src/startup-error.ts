import type { ServiceEnv } from './service-env.js';

/**
 * Turns a start-up failure into the one line an operator needs: no stack
 * trace, the instance named, the usual causes spelled out.
 */
export function describeStartupError(error: unknown, env: Pick<ServiceEnv, 'instanceId' | 'host' | 'port'>): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/EADDRINUSE/.test(message)) return `${env.instanceId}: port ${env.port} is already in use`;
  if (/EADDRNOTAVAIL|ENOTFOUND/.test(message)) return `${env.instanceId}: cannot bind ${env.host}:${env.port} (address not available)`;
  if (/EACCES/.test(message)) return `${env.instanceId}: not allowed to bind ${env.host}:${env.port}`;
  return `${env.instanceId}: ${message.split('\n')[0]}`;
}
