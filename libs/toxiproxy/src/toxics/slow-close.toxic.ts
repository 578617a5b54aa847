import { ToxicStage, unrefTimeout, type Chunk } from './toxic-stage.js';

/** Passes data through but delays closing by `delay` ms after the source ends. */
export class SlowCloseToxic extends ToxicStage {
  private timer: NodeJS.Timeout | undefined;
  private ending = false;

  protected onWrite(chunk: Chunk): void {
    this.emit(chunk);
  }

  protected override onEnd(): void {
    this.ending = true;
    this.timer = unrefTimeout(() => this.close(), this.attributes.delay ?? 0);
  }

  protected override onRelease(): void {
    this.cancel();
    // A close already waiting is not held back any longer.
    if (this.ending) this.close();
  }

  protected override onDispose(): void {
    this.cancel();
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
