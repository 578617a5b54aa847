export * from './endpoint.js';
export * from './endpoint-source.js';
