/**
 * A configuration problem located by its path in the document, e.g.
 * `clusters[1].outlier_detection.interval: expected a duration like "10s"`.
 */
export class ConfigError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(path ? `${path}: ${problem}` : problem);
    this.name = 'ConfigError';
  }
}
