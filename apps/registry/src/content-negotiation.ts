import type { OutgoingHttpHeaders } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type CachedPayload, GZIP_MIN_BYTES } from './cached-payload.js';
import { encodeXml } from './xml.codec.js';

/** Eureka answers JSON only when Accept mentions json; everything else (even no Accept) gets XML. */
export function wantsJson(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').toLowerCase().includes('json');
}

export function acceptsGzip(request: FastifyRequest): boolean {
  return /\bgzip\b/i.test(String(request.headers['accept-encoding'] ?? ''));
}

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

/** The ETag a cached read is served with: weak (renewal timestamps move without a new version), per encoding. */
export function etagFor(payload: CachedPayload, gzip: boolean): string {
  return gzip && payload.gzipWorthIt ? `${payload.etag.slice(0, -1)}-gz"` : payload.etag;
}

/** True when If-None-Match lists `etag` (weak comparison, as RFC 9110 asks for If-None-Match) or `*`. */
export function matchesIfNoneMatch(request: FastifyRequest, etag: string | undefined): boolean {
  const header = request.headers['if-none-match'];
  if (header === undefined || etag === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === wanted);
}

export function sendNotModified(reply: FastifyReply, etag: string): FastifyReply {
  return reply.code(304).header('etag', etag).header('vary', 'accept, accept-encoding').send();
}

/** Serves a cached payload as is (plain or its shared gzip copy), with its ETag; 304 when the client has it. */
export async function sendPayload(request: FastifyRequest, reply: FastifyReply, payload: CachedPayload): Promise<FastifyReply> {
  const gzip = acceptsGzip(request) && payload.gzipWorthIt;
  const etag = etagFor(payload, gzip);
  if (matchesIfNoneMatch(request, etag)) return sendNotModified(reply, etag);
  reply.code(200).type(payload.contentType).header('vary', 'accept, accept-encoding').header('etag', etag);
  if (!gzip) {
    const kept = payload.body();
    return kept !== undefined ? reply.send(kept) : streamPlain(reply, payload);
  }
  const body = await payload.gzipped();
  return reply.header('content-encoding', 'gzip').send(body);
}

/**
 * A large plain body, written to the socket chunk by chunk as the socket
 * takes them (see CachedPayload.writePlain), so it is never whole in
 * memory. Fastify is bypassed for this reply because its stream support
 * cannot tell when a chunk was written and may be reused.
 */
async function streamPlain(reply: FastifyReply, payload: CachedPayload): Promise<FastifyReply> {
  reply.header('content-length', payload.byteLength);
  reply.hijack();
  const socket = reply.raw;
  socket.writeHead(reply.statusCode, reply.getHeaders() as OutgoingHttpHeaders);
  try {
    await payload.writePlain((chunk) => new Promise((resolve, reject) => socket.write(chunk, (error) => (error ? reject(error) : resolve()))));
    socket.end();
  } catch {
    // The client went away mid-body: nothing to answer, just free the connection.
    socket.destroy();
  }
  return reply;
}

export function sendEntity(request: FastifyRequest, reply: FastifyReply, tree: Record<string, unknown>): FastifyReply {
  return sendRendered(reply, renderEntity(tree, wantsJson(request), acceptsGzip(request)));
}

export function sendText(reply: FastifyReply, code: number, text = ''): FastifyReply {
  return reply.code(code).type('text/plain; charset=utf-8').send(text);
}
