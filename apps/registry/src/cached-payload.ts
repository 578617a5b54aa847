import { once } from 'node:events';
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

  /** The uncompressed body when it is kept whole (small); undefined for a large one, which `writePlain` streams. */
  body(): Buffer | undefined {
    const layout = this.laidOut();
    if (layout.length >= this.streamMinBytes) return undefined;
    this.plain ??= layout.finish();
    return this.plain;
  }

  /** Writes the uncompressed body, kept or streamed from its layout, to `write` (each read its own pass). */
  async writePlain(write: ChunkSink): Promise<void> {
    const kept = this.body();
    if (kept !== undefined) return write(kept);
    return copyInChunks(this.laidOut(), write);
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
    const kept = this.body();
    if (kept !== undefined) {
      return new Promise((resolve, reject) => gzip(kept, { level: 1 }, (error, result) => (error === null ? resolve(result) : reject(error))));
    }
    const compressor = createGzip({ level: 1 });
    const compressed: Buffer[] = [];
    compressor.on('data', (chunk: Buffer) => compressed.push(chunk));
    const ended = once(compressor, 'end');
    ended.catch(() => undefined); // a zlib error also fails the pending write, which is what throws
    await copyInChunks(this.laidOut(), (chunk) => new Promise((resolve, reject) => compressor.write(chunk, (error) => (error ? reject(error) : resolve()))));
    compressor.end();
    await ended;
    return Buffer.concat(compressed);
  }

  private laidOut(): PayloadWriter {
    this.layout ??= this.render();
    return this.layout;
  }
}

/** Takes one chunk; resolves once the chunk's memory may be reused (written to the socket, consumed by zlib). */
export type ChunkSink = (chunk: Buffer) => Promise<void>;

/**
 * Copies a body through two chunks used in turn, each refilled only once
 * the sink took it: a 45 MB body costs 512 kB of buffers per read instead of
 * 45 MB of garbage chunks that stay in the allocator until a GC frees them.
 */
async function copyInChunks(layout: PayloadWriter, write: ChunkSink): Promise<void> {
  const cursor = layout.cursor();
  const size = Math.min(CHUNK_BYTES, layout.length);
  const chunks = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
  let previous: Promise<void> = Promise.resolve();
  for (let turn = 0; ; turn ^= 1) {
    // This chunk's last write was awaited in the previous turn: it is free to refill.
    const copied = layout.fill(chunks[turn], cursor);
    if (copied === 0) break;
    const current = write(copied === size ? chunks[turn] : chunks[turn].subarray(0, copied));
    // Both writes may fail; the one not awaited here is awaited next turn (or after the loop).
    current.catch(() => undefined);
    await previous;
    previous = current;
  }
  await previous;
}
