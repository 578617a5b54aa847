import { ToxicStage, unrefTimeout, type Chunk } from './toxic-stage.js';

/**
 * Drops all data and closes the connection after `timeout` ms without data
 * (each chunk restarts the clock). `timeout` 0 holds the connection open forever.
 * Removing the toxic closes the connections it held, as Toxiproxy's cleanup does.
 */
export class TimeoutToxic extends ToxicStage {
  private timer: NodeJS.Timeout | undefined;

  protected override onActivate(): void {
    this.arm();
  }

  protected onWrite(chunk: Chunk): void {
    this.drop(chunk);
    this.arm();
  }

  protected override onUpdate(): void {
    this.arm();
  }

  protected override onRelease(): void {
    this.cancel();
  }

  protected override onRemove(): void {
    this.cancel();
    this.close();
  }

  protected override onDispose(): void {
    this.cancel();
  }

  private arm(): void {
    this.cancel();
    const timeout = this.attributes.timeout ?? 0;
    if (timeout > 0) this.timer = unrefTimeout(() => this.close(), timeout);
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
