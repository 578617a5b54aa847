export * from './grpc-probes.js';
