/**
 * Calls `sample` every `intervalMs` (never overlapping itself) until stopped.
 * Samples that throw are the poller's problem to record, not to crash on.
 */
export class Poller {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly sample: () => Promise<void>,
  ) {}

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running = this.sample()
        .catch(() => undefined)
        .finally(() => {
          if (!this.stopped) {
            this.timer = setTimeout(tick, this.intervalMs);
            this.timer.unref();
          }
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
