import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { encodeXml } from './xml.codec.js';

/** Eureka answers JSON only when Accept mentions json; everything else (even no Accept) gets XML. */
export function wantsJson(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').toLowerCase().includes('json');
}

/** Payloads below this are sent plain even when gzip is accepted: compressing them gains nothing. */
const GZIP_MIN_BYTES = 512;

export function sendEntity(request: FastifyRequest, reply: FastifyReply, tree: Record<string, unknown>): FastifyReply {
  const json = wantsJson(request);
  const body = json ? JSON.stringify(tree) : encodeXml(tree);
  reply.code(200).type(json ? 'application/json' : 'application/xml').header('vary', 'accept, accept-encoding');
  const acceptsGzip = /\bgzip\b/i.test(String(request.headers['accept-encoding'] ?? ''));
  if (acceptsGzip && Buffer.byteLength(body) >= GZIP_MIN_BYTES) {
    return reply.header('content-encoding', 'gzip').send(gzipSync(body));
  }
  return reply.send(body);
}

export function sendText(reply: FastifyReply, code: number, text = ''): FastifyReply {
  return reply.code(code).type('text/plain; charset=utf-8').send(text);
}
