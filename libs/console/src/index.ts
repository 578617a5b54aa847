export type * from './console-options.js';
export { startConsole, type RunningConsole } from './server/console.server.js';
export { isLoopbackHost } from './server/request-guard.js';
export type * from './wire.js';
export { FAULT_ACTIONS, type FaultAction } from './actions/fault-request.js';
