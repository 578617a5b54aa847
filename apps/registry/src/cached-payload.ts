import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzip } from 'node:zlib';
import type { PayloadWriter } from './payload-writer.js';

/** Bodies below this are sent plain even when gzip is accepted: compressing them gains nothing. */
export const GZIP_MIN_BYTES = 512;

/**
 * Plain bodies from this size on are not kept: each plain read streams
 * them from the instance fragments they are made of. A full fetch of 50k
 * instances is 45 MB plain — the largest single allocation of a registry
 * whose records and fragments take about as much — and Eureka clients
 * read it gzipped anyway; small bodies (deltas, single applications) are
 * kept whole.
 */
export const STREAM_MIN_BYTES = 1024 * 1024;

/** Size of the chunks a streamed body is copied into: big enough for few writes, small enough to interleave with other requests. */
const CHUNK_BYTES = 256 * 1024;

/**
 * A response body for one version of the registry and one representation
 * (JSON or XML): what the response cache keeps and every reader of that
 * version is served. `render` lays out the version's cached instance
 * fragments (with their renewal timestamps of that moment) once; the body
 * is then either kept whole (small) or streamed from that layout on each
 * read (large), and its gzip is compressed once, from the same layout.
 */
export class CachedPayload {
  private layout: PayloadWriter | undefined;
  private plain: Buffer | undefined;
  private gzipping: Promise<Buffer> | undefined;

  /** @param etag weak validator naming the registry version the body shows (renewal timestamps aside). */
  constructor(
    private readonly render: () => PayloadWriter,
    readonly contentType: string,
    readonly etag: string,
    private readonly streamMinBytes = STREAM_MIN_BYTES,
  ) {}

  /** The plain body's size (its Content-Length). */
  get byteLength(): number {
    return this.laidOut().length;
  }

  get gzipWorthIt(): boolean {
    return this.byteLength >= GZIP_MIN_BYTES;
  }

  /** The uncompressed body: the kept buffer, or a new stream of it for a large one (each read its own). */
  body(): Buffer | Readable {
    const layout = this.laidOut();
    if (layout.length < this.streamMinBytes) {
      this.plain ??= layout.finish();
      return this.plain;
    }
    return chunksOf(layout);
  }

  /**
   * The body gzipped, compressed once on first demand and shared by every
   * request for it. zlib's thread pool does the work, so compressing a
   * 45 MB registry does not stall the event loop; level 1 because it is ~4x
   * faster than the default for a slightly larger body.
   */
  gzipped(): Promise<Buffer> {
    this.gzipping ??= this.compress();
    return this.gzipping;
  }

  private async compress(): Promise<Buffer> {
    const body = this.body();
    if (Buffer.isBuffer(body)) {
      return new Promise((resolve, reject) => gzip(body, { level: 1 }, (error, result) => (error === null ? resolve(result) : reject(error))));
    }
    const compressed: Buffer[] = [];
    await pipeline(body, createGzip({ level: 1 }), async (gzipped: AsyncIterable<Buffer>) => {
      for await (const chunk of gzipped) compressed.push(chunk);
    });
    return Buffer.concat(compressed);
  }

  private laidOut(): PayloadWriter {
    this.layout ??= this.render();
    return this.layout;
  }
}

/** The body copied chunk by chunk as the reader (socket or gzip) asks for more. */
function chunksOf(layout: PayloadWriter): Readable {
  const cursor = layout.cursor();
  let left = layout.length;
  return new Readable({
    read() {
      if (left === 0) {
        this.push(null);
        return;
      }
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, left));
      const copied = layout.fill(chunk, cursor);
      left -= copied;
      this.push(copied === 0 ? null : copied === chunk.length ? chunk : chunk.subarray(0, copied));
    },
  });
}
