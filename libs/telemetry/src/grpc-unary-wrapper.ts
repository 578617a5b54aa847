import type { Server, ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';

/** The part of a grpc-js Server that instrumentation needs. */
export type ServiceAdder = Pick<Server, 'addService'>;

/** What grpc-js hands back to the caller: an error with a code, or null and the response. */
export type UnaryCallback = (error: { code?: unknown; details?: unknown; message?: unknown } | null | undefined, ...rest: unknown[]) => void;
export type UnaryHandler = (call: unknown, callback: UnaryCallback) => unknown;

/**
 * Wraps `server.addService` so every unary handler added afterwards goes
 * through `wrap` (given the handler and its path, `/pkg.Service/Method`).
 * Streaming handlers pass through untouched (the mesh has none). Wrappers
 * stack: the one installed last runs outermost.
 */
export function wrapUnaryHandlers(server: ServiceAdder, wrap: (handler: UnaryHandler, path: string) => UnaryHandler): void {
  const addService = server.addService.bind(server);
  server.addService = (service: ServiceDefinition, implementation: UntypedServiceImplementation): void => {
    const wrapped: UntypedServiceImplementation = { ...implementation };
    for (const [name, definition] of Object.entries(service)) {
      const key = name in implementation ? name : definition.originalName;
      const handler = key === undefined ? undefined : implementation[key];
      if (typeof handler !== 'function' || definition.requestStream || definition.responseStream) continue;
      wrapped[key!] = wrap(handler as unknown as UnaryHandler, definition.path) as never;
    }
    addService(service, wrapped);
  };
}

/** The status code an error handed to grpc-js becomes: no numeric code means UNKNOWN (2). */
export function callbackStatus(error: { code?: unknown } | null | undefined): number {
  if (!error) return 0;
  return typeof error.code === 'number' ? error.code : 2;
}
