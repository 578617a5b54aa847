import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { encodeXml } from './xml.codec.js';

/** Eureka answers JSON only when Accept mentions json; everything else (even no Accept) gets XML. */
export function wantsJson(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').toLowerCase().includes('json');
}

export function acceptsGzip(request: FastifyRequest): boolean {
  return /\bgzip\b/i.test(String(request.headers['accept-encoding'] ?? ''));
}

/** Payloads below this are sent plain even when gzip is accepted: compressing them gains nothing. */
const GZIP_MIN_BYTES = 512;

/** An entity rendered once for a representation (JSON/XML, gzip or not): what the response cache keeps. */
export interface RenderedEntity {
  readonly body: Buffer;
  readonly contentType: string;
  readonly gzip: boolean;
}

export function renderEntity(tree: Record<string, unknown>, json: boolean, gzip: boolean): RenderedEntity {
  const text = json ? JSON.stringify(tree) : encodeXml(tree);
  const contentType = json ? 'application/json' : 'application/xml';
  const plain = Buffer.from(text);
  // Level 1: a 9 MB registry compresses ~4x faster than at the default level for a slightly larger body.
  if (gzip && plain.length >= GZIP_MIN_BYTES) return { body: gzipSync(plain, { level: 1 }), contentType, gzip: true };
  return { body: plain, contentType, gzip: false };
}

export function sendRendered(reply: FastifyReply, entity: RenderedEntity): FastifyReply {
  reply.code(200).type(entity.contentType).header('vary', 'accept, accept-encoding');
  if (entity.gzip) reply.header('content-encoding', 'gzip');
  return reply.send(entity.body);
}

export function sendEntity(request: FastifyRequest, reply: FastifyReply, tree: Record<string, unknown>): FastifyReply {
  return sendRendered(reply, renderEntity(tree, wantsJson(request), acceptsGzip(request)));
}

export function sendText(reply: FastifyReply, code: number, text = ''): FastifyReply {
  return reply.code(code).type('text/plain; charset=utf-8').send(text);
}
