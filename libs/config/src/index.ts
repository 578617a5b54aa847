export * from './config-error.js';
export * from './config-reader.js';
export * from './duration.js';
export * from './yaml-file.js';
export * from './yaml-source.js';
