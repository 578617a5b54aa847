import { gzip } from 'node:zlib';

/** Bodies below this are sent plain even when gzip is accepted: compressing them gains nothing. */
export const GZIP_MIN_BYTES = 512;

/**
 * A response body for one version of the registry and one representation
 * (JSON or XML): what the response cache keeps and every reader of that
 * version is served. `render` concatenates the version's cached instance
 * fragments (it holds the version's instance list, not the live registry,
 * so rendering again gives the same bytes).
 */
export class CachedPayload {
  private plain: Buffer | undefined;
  private plainWanted = false;
  private plainBytes: number | undefined;
  private gzipping: Promise<Buffer> | undefined;

  /** @param etag weak validator naming the registry version the body shows (renewal timestamps aside). */
  constructor(
    private readonly render: () => Buffer,
    readonly contentType: string,
    readonly etag: string,
  ) {}

  /** The uncompressed body: rendered on first demand and kept from then on. */
  body(): Buffer {
    this.plainWanted = true;
    return this.rendered();
  }

  get gzipWorthIt(): boolean {
    this.plainBytes ??= this.rendered().length;
    return this.plainBytes >= GZIP_MIN_BYTES;
  }

  /**
   * The body gzipped, compressed once on first demand and shared by every
   * request for it. zlib's thread pool does the work, so compressing a
   * 40 MB registry does not stall the event loop; level 1 because it is ~4x
   * faster than the default for a slightly larger body. When nobody asked
   * for the plain body (Eureka clients all send Accept-Encoding: gzip), it
   * is released once compressed: a 50k-instance payload is 45 MB plain and
   * 2 MB gzipped.
   */
  gzipped(): Promise<Buffer> {
    this.gzipping ??= new Promise((resolve, reject) =>
      gzip(this.rendered(), { level: 1 }, (error, result) => {
        if (!this.plainWanted) this.plain = undefined;
        if (error === null) resolve(result);
        else reject(error);
      }),
    );
    return this.gzipping;
  }

  private rendered(): Buffer {
    this.plain ??= this.render();
    this.plainBytes = this.plain.length;
    return this.plain;
  }
}
