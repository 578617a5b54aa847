import { ToxicStage, unrefTimeout, type Chunk } from './toxic-stage.js';

/**
 * On the first data (or end of stream), drops it and after `timeout` ms resets
 * the connection: both peers see a TCP RST (ECONNRESET).
 */
export class ResetPeerToxic extends ToxicStage {
  private timer: NodeJS.Timeout | undefined;
  private triggered = false;

  protected onWrite(chunk: Chunk): void {
    this.drop(chunk);
    this.trigger();
  }

  protected override onEnd(): void {
    this.trigger();
  }

  protected override onRemove(): void {
    // The reset was already decided; removing the toxic only hastens it.
    if (this.triggered) {
      this.cancel();
      this.link.reset();
    }
  }

  protected override onDispose(): void {
    this.cancel();
  }

  private trigger(): void {
    if (this.triggered) return;
    this.triggered = true;
    this.timer = unrefTimeout(() => this.link.reset(), this.attributes.timeout ?? 0);
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
