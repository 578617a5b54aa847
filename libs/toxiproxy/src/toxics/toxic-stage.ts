/** A piece of data read from a socket, stamped with the time it was read. */
export interface Chunk {
  data: Buffer;
  /** Milliseconds on the link clock when the bytes were read from the source. */
  readAt: number;
}

/** Where a stage sends what it lets through: the next stage or the destination socket. */
export interface StageOutput {
  write(chunk: Chunk): void;
  /** The stream is over; the destination closes once everything before it is written. */
  end(): void;
}

/** What a stage may ask of the link (one connection, one direction) it runs in. */
export interface LinkControl {
  /** Current time in milliseconds (monotonic). */
  now(): number;
  /** Bytes the stage discarded, so the link's flow control stays balanced. */
  dropped(bytes: number): void;
  /** Abort the whole connection with a TCP RST on both sides. */
  reset(): void;
}

/** Attributes of a toxic as integers keyed by their API names. */
export type ToxicAttributes = Record<string, number>;

/**
 * One toxic applied to one link. Stages form a chain; `next` is rewired when
 * toxics are added or removed on a live connection.
 *
 * A stage whose toxicity roll failed is inactive and passes data straight
 * through, like Toxiproxy running a noop in its place.
 */
export abstract class ToxicStage {
  next!: StageOutput;
  private closed = false;
  private active = false;

  constructor(
    protected attributes: ToxicAttributes,
    protected readonly link: LinkControl,
  ) {}

  /** Whether this stage applies its effect (the toxicity roll succeeded). */
  get isActive(): boolean {
    return this.active;
  }

  activate(): void {
    if (this.active) return;
    this.active = true;
    this.onActivate();
  }

  /** Stop applying the effect, handing on whatever was held (toxic updated to a failed roll). */
  deactivate(): void {
    if (!this.active) return;
    this.onRelease();
    this.active = false;
  }

  /** The toxic was deleted: hand on what was held. Some toxics close instead. */
  remove(): void {
    if (this.active) this.onRemove();
    this.active = false;
  }

  /** New attributes for an active stage; timers restart like Toxiproxy's re-run toxic. */
  update(attributes: ToxicAttributes): void {
    this.attributes = attributes;
    if (this.active) this.onUpdate();
  }

  write(chunk: Chunk): void {
    if (this.closed) {
      this.link.dropped(chunk.data.length);
      return;
    }
    if (this.active) this.onWrite(chunk);
    else this.next.write(chunk);
  }

  end(): void {
    if (this.closed) return;
    if (this.active) this.onEnd();
    else this.close();
  }

  /** The connection is gone: cancel every timer, drop everything. */
  dispose(): void {
    this.closed = true;
    this.onDispose();
  }

  protected get isClosed(): boolean {
    return this.closed;
  }

  protected emit(chunk: Chunk): void {
    if (this.closed) this.link.dropped(chunk.data.length);
    else this.next.write(chunk);
  }

  /** End the stream downstream of this stage; later input is discarded. */
  protected close(): void {
    if (this.closed) return;
    this.closed = true;
    this.next.end();
  }

  protected drop(chunk: Chunk): void {
    this.link.dropped(chunk.data.length);
  }

  protected onActivate(): void {}
  protected abstract onWrite(chunk: Chunk): void;
  protected onEnd(): void {
    this.close();
  }
  /** Hand on everything held immediately and cancel timers. */
  protected onRelease(): void {}
  protected onRemove(): void {
    this.onRelease();
  }
  protected onUpdate(): void {}
  protected onDispose(): void {}
}

/** Timers must never keep the process alive on their own. */
export function unrefTimeout(fn: () => void, ms: number): NodeJS.Timeout {
  const timer = setTimeout(fn, Math.max(0, ms));
  timer.unref();
  return timer;
}
