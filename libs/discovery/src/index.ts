export * from './registry-urls.js';
export * from './eureka-http.js';
export * from './eureka-instance.js';
export * from './eureka-registration.js';
export * from './eureka-app.decoder.js';
export * from './eureka-app.source.js';
export * from './eureka-scheme.js';
