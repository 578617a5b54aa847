export * from './free-port.js';
export * from './wait-for.js';
export * from './build-once.js';
export * from './service-process.js';
export * from './registry-process.js';
export * from './workspace-root.js';
export * from './clusters-file.js';
