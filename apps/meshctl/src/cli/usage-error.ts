/**
 * The command line itself is wrong (unknown command, bad or missing flag):
 * printed as one line plus where to read the usage, exit code 2 — apart from
 * failures of the work itself (exit 1).
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
