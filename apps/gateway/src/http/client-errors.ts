import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorBody } from '../errors/api-error.js';

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a header
 * over the size limit, a control character in a header value, an unknown
 * method, a broken chunked body) answered in the gateway's JSON error shape,
 * then the connection is closed: its framing can no longer be trusted.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message = status === 431 ? 'request headers too large' : status === 408 ? 'request timed out' : 'malformed HTTP request';
  answerAndClose(socket, status, status === 408 ? 'REQUEST_TIMEOUT' : 'INVALID_ARGUMENT', message);
}

/**
 * CONNECT never reaches Fastify: without a listener Node drops the socket
 * silently. The gateway is no forward proxy; it says so.
 */
export function refuseConnect(server: Server): void {
  server.on('connect', (_request, socket: Duplex) => answerAndClose(socket, 405, 'METHOD_NOT_ALLOWED', 'CONNECT is not supported'));
}

function answerAndClose(socket: Duplex, status: number, code: string, message: string): void {
  const requestId = randomUUID();
  const body = JSON.stringify(errorBody(code, message, requestId));
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nx-request-id: ${requestId}\r\nconnection: close\r\n\r\n${body}`,
  );
  // end() flushes the answer first; a peer that never reads must not hold the socket.
  setTimeout(() => socket.destroy(), 2_000).unref();
}
