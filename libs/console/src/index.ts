export type * from './console-options.js';
export { startConsole, type RunningConsole } from './server/console.server.js';
export { isLoopbackHost } from './server/request-guard.js';
export type { LiveTick } from './live/live-feed.js';
export type { TileState, TileBadge } from './live/tile-state.js';
export type { ClusterTraffic } from './live/cluster-traffic.js';
export { FAULT_ACTIONS, type FaultAction } from './actions/fault-request.js';
