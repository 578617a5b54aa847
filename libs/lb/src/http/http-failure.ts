import type { HttpFailureKind } from './http-policy.config.js';

/** One failed attempt, as HttpBalancerError and snapshots report it. */
export interface HttpAttemptFailure {
  /** The endpoint id. */
  readonly endpoint: string;
  readonly address: string;
  readonly kind: HttpFailureKind;
  /** `ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`, `HTTP 503`... */
  readonly detail: string;
}

/** Every allowed attempt failed (or there was no endpoint to try). No stack traces of undici leak through it. */
export class HttpBalancerError extends Error {
  constructor(
    message: string,
    readonly attempts: readonly HttpAttemptFailure[],
  ) {
    super(message);
    this.name = 'HttpBalancerError';
  }
}

/** Errors raised before a byte of the request could reach the server: safe to send elsewhere whatever the method. */
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** The error code undici or the socket layer attached (`ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`...). */
export function errorCode(error: unknown): string {
  const e = error as { code?: unknown; cause?: { code?: unknown }; name?: unknown } | undefined;
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return typeof e?.name === 'string' ? e.name : 'UNKNOWN';
}

/** Maps a transport error to Envoy's retry_on vocabulary; anything else after sending counts as a reset. */
export function classifyTransportError(error: unknown): { kind: HttpFailureKind; detail: string } {
  const code = errorCode(error);
  if (CONNECT_CODES.has(code)) return { kind: 'connect_failure', detail: code };
  if (TIMEOUT_CODES.has(code)) return { kind: 'timeout', detail: code };
  return { kind: 'reset', detail: code };
}
