import type { Server } from 'node:http';
import { parseDuration } from '@zonemesh/config';

/**
 * Bounds of an HTTP server this project runs (gateway, registry, syncer).
 * Fastify's defaults leave a socket that never finishes a request open for
 * good (requestTimeout 0, connectionTimeout 0), keep idle keep-alive sockets
 * 72 s and accept connections without limit: 2,000 idle sockets would hold
 * 2,000 file descriptors until the process runs out.
 */
export interface HttpServerLimits {
  /** A socket with no traffic for this long is closed (Fastify `connectionTimeout`). */
  readonly idleTimeoutMs: number;
  /** Time to receive a whole request, headers included (Fastify `requestTimeout`, Node's `headersTimeout` follows). */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive socket is closed after this long (Node's default is 5 s; Fastify's 72 s). */
  readonly keepAliveTimeoutMs: number;
  /** Connections beyond this are refused at accept. */
  readonly maxConnections: number;
}

export const HTTP_SERVER_LIMITS: HttpServerLimits = {
  idleTimeoutMs: 30_000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 10_000,
};

/** Limits from the environment: `ZONEMESH_HTTP_IDLE_TIMEOUT` (a duration) and `ZONEMESH_HTTP_MAX_CONNECTIONS`; an error names the variable. */
export function httpServerLimits(env: NodeJS.ProcessEnv, defaults: HttpServerLimits = HTTP_SERVER_LIMITS): HttpServerLimits {
  let { idleTimeoutMs, maxConnections } = defaults;
  const idle = env.ZONEMESH_HTTP_IDLE_TIMEOUT;
  if (idle !== undefined && idle !== '') {
    const ms = parseDuration(idle);
    if (ms === undefined || ms <= 0) throw new Error(`ZONEMESH_HTTP_IDLE_TIMEOUT: expected a duration like 30s, got "${idle}"`);
    idleTimeoutMs = ms;
  }
  const max = env.ZONEMESH_HTTP_MAX_CONNECTIONS;
  if (max !== undefined && max !== '') {
    if (!/^\d+$/.test(max) || Number(max) < 1) throw new Error(`ZONEMESH_HTTP_MAX_CONNECTIONS: expected a positive whole number, got "${max}"`);
    maxConnections = Number(max);
  }
  return { ...defaults, idleTimeoutMs, maxConnections, requestTimeoutMs: Math.min(defaults.requestTimeoutMs, idleTimeoutMs) };
}

/** The Fastify server options that carry `limits` (maxConnections is applied to the server: `applyMaxConnections`). */
export function fastifyServerLimits(limits: HttpServerLimits): { connectionTimeout: number; requestTimeout: number; keepAliveTimeout: number } {
  return { connectionTimeout: limits.idleTimeoutMs, requestTimeout: limits.requestTimeoutMs, keepAliveTimeout: limits.keepAliveTimeoutMs };
}

export function applyMaxConnections(server: Server, limits: HttpServerLimits): void {
  server.maxConnections = limits.maxConnections;
  // Node requires headersTimeout <= requestTimeout; a slow-headers client is cut at the same bound.
  server.headersTimeout = Math.min(server.headersTimeout || limits.requestTimeoutMs, limits.requestTimeoutMs);
}
