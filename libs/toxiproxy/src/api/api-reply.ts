import type { ApiError } from '../api-error.js';
import type { ProxyManager } from '../proxy/proxy-manager.js';
import { goStringify } from './go-json.js';
import type { RouteParams } from './router.js';

/** An HTTP answer, written by the API server. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** What every route handler receives. */
export interface RequestContext {
  manager: ProxyManager;
  params: RouteParams;
  body: string;
}

export type Handler = (context: RequestContext) => Promise<Reply>;

export function jsonReply(status: number, value: unknown): Reply {
  return { status, headers: { 'Content-Type': 'application/json' }, body: goStringify(value) };
}

export function noContent(): Reply {
  return { status: 204 };
}

/** Go's http.Error: plain text content type, nosniff, trailing newline. */
export function plainError(status: number, message: string): Reply {
  return {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
    body: `${message}\n`,
  };
}

/** Toxiproxy's apiError: `{"error":...,"status":...}` sent through http.Error. */
export function errorReply(error: ApiError): Reply {
  return plainError(error.status, goStringify({ error: error.message, status: error.status }));
}
