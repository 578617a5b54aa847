import { gzip } from 'node:zlib';

/** Bodies below this are sent plain even when gzip is accepted: compressing them gains nothing. */
export const GZIP_MIN_BYTES = 512;

/**
 * A response body built once for one version of the registry and one
 * representation (JSON or XML): what the response cache keeps and every
 * reader of that version is served.
 */
export class CachedPayload {
  private gzipping: Promise<Buffer> | undefined;

  /**
   * @param etag weak validator naming the registry version the body shows
   *   (renewal timestamps aside, which move without a new version).
   */
  constructor(
    readonly body: Buffer,
    readonly contentType: string,
    readonly etag: string,
  ) {}

  get gzipWorthIt(): boolean {
    return this.body.length >= GZIP_MIN_BYTES;
  }

  /**
   * The body gzipped, compressed once on first demand and shared by every
   * request for it. zlib's thread pool does the work, so compressing a
   * 40 MB registry does not stall the event loop; level 1 because it is ~4x
   * faster than the default for a slightly larger body.
   */
  gzipped(): Promise<Buffer> {
    this.gzipping ??= new Promise((resolve, reject) =>
      gzip(this.body, { level: 1 }, (error, result) => (error === null ? resolve(result) : reject(error))),
    );
    return this.gzipping;
  }
}
