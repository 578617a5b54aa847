import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, errorBody } from './api-error.js';
import { grpcCodeName, httpStatusForGrpc } from './grpc-http-status.js';

/** Stable codes for the 4xx answers the framework produces. */
const HTTP_CODES: Record<number, string> = {
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  411: 'LENGTH_REQUIRED',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'INVALID_ARGUMENT',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  431: 'INVALID_ARGUMENT',
};

/** Retry-After on 429s: a second, the smallest the header can say. */
const RETRY_AFTER_SECONDS = '1';

function isGrpcError(error: unknown): error is { code: number; details?: string } {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'number';
}

/**
 * Every error leaves the gateway as `{error: {code, message, requestId}}`.
 * Upstream gRPC failures keep their status name; anything unforeseen is a
 * 500 with a generic message — a stack trace never reaches a client.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const requestId = String(request.id);
    let status = 500;
    let code = 'INTERNAL';
    let message = 'internal error';
    if (exception instanceof ApiError) {
      ({ status, code, message } = exception);
    } else if (exception instanceof HttpException) {
      // Fastify's own refusals (body too large, bad JSON, unsupported media type) arrive here as HttpExceptions.
      status = exception.getStatus();
      if (status >= 500) {
        request.log.error({ err: exception }, 'unhandled error');
        status = 500;
      } else {
        code = HTTP_CODES[status] ?? 'BAD_REQUEST';
        message = exception.message;
      }
    } else if (isGrpcError(exception)) {
      status = httpStatusForGrpc(exception.code);
      code = grpcCodeName(exception.code);
      message = exception.details || code;
    } else {
      request.log.error({ err: exception }, 'unhandled error');
    }
    // An upstream out of capacity (a circuit breaker's RESOURCE_EXHAUSTED): tell clients to back off instead of retrying at once (RFC 6585).
    if (status === 429) void reply.header('retry-after', RETRY_AFTER_SECONDS);
    void reply.status(status).header('x-request-id', requestId).send(errorBody(code, message, requestId));
  }
}
