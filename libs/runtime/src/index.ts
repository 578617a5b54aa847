export * from './service-env.js';
export * from './service-env.module.js';
export * from './startup-error.js';
export * from './bounded.js';
export * from './grpc-service.bootstrap.js';
export * from './drain-period.js';
export * from './run-grpc-service.js';
export * from './downstream-client.js';
export type { InstanceRegistration } from './mesh-bindings.js';
export * from './forwarded-metadata.js';
export * from './rpc-errors.js';
export * from './clusters-view.js';
// Helpers for specs and launchers that run services as real processes.
export * from './testing/index.js';
export * from './cli-help.js';
export * from './http-server-limits.js';
export * from './health-port.server.js';
export * from './mesh-reload.js';
