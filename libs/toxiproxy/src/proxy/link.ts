import type { OnReadOpts, Socket } from 'node:net';
import type { ToxicChainListener } from '../toxics/toxic-collection.js';
import type { Direction, ToxicDefinition } from '../toxics/toxic-definition.js';
import type { Chunk, LinkControl, StageOutput, ToxicStage } from '../toxics/toxic-stage.js';
import type { ReadTarget } from './socket-reader.js';

/** Bytes held inside a link's toxics before the source is paused. */
const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;
/**
 * The read buffer starts small (an idle connection costs little) and grows
 * 4x, up to the largest, each time a read fills it: bulk transfers get few
 * large reads and writes.
 */
const FIRST_READ_BUFFER = 64 * 1024;
const LARGEST_READ_BUFFER = 1024 * 1024;

/** What a link needs from the connection it belongs to. */
export interface LinkHost {
  now(): number;
  /** Abort the connection with RST on both sides. */
  reset(): void;
  /** Bytes handed to `dest` in `direction` (for the proxy's byte counters). */
  delivered?(direction: Direction, bytes: number): void;
}

interface StageEntry {
  readonly toxic: ToxicDefinition;
  readonly stage: ToxicStage;
}

/**
 * One direction of one connection: bytes read from `source` run through the
 * proxy's toxics for this direction, in creation order, then into `dest`.
 * When the chain ends, `dest` is closed completely (as Toxiproxy closes the
 * Go connection), which in turn ends the opposite link.
 *
 * Pass-through: while the direction has no toxic, each read goes straight
 * into `dest.write()`, since every call of the mesh crosses a proxy that
 * has none. The source reads into the link's own buffer (`onread`); a write
 * the kernel did not take at once still holds that buffer, so reading stops
 * until that write completes (which is also the backpressure). With a toxic
 * each read is copied into a chunk of its own for the chain. Adding the
 * first toxic or removing the last one switches between the two on a live
 * connection: everything forwarded before is already queued in `dest`, and
 * a removed toxic hands on what it held before the switch, so no byte is
 * lost, repeated or reordered.
 *
 *   source --read--> dest.write()                                 (no toxic)
 *   source --read--> copy -> [toxic 1] -> [toxic 2] -> sink -> dest
 */
export class Link implements ToxicChainListener, ReadTarget {
  readonly onread: OnReadOpts;
  private readonly stages: StageEntry[] = [];
  private readonly control: LinkControl;
  private readonly sink: StageOutput;
  private source: Socket | undefined;
  private dest: Socket | undefined;
  private readBuffer: Buffer | undefined;
  private grow = false;
  private held = 0;
  private destBlocked = false;
  /** Pass-through writes issued and completed; reading waits for write number `waitFor`. */
  private writes = 0;
  private written = 0;
  private waitFor = 0;
  private paused = false;
  private sourceDone = false;
  private destDone = false;
  private readonly afterWrite = (): void => {
    if (++this.written === this.waitFor) {
      this.waitFor = 0;
      this.maybeResume();
    }
  };

  constructor(
    readonly direction: Direction,
    private readonly host: LinkHost,
  ) {
    this.control = {
      now: () => host.now(),
      dropped: (bytes) => this.release(bytes),
      reset: () => host.reset(),
    };
    this.sink = {
      write: (chunk) => this.writeDest(chunk),
      end: () => this.endDest(),
    };
    this.onread = {
      buffer: () => this.nextReadBuffer(),
      callback: (bytes, buffer) => {
        this.onRead((buffer as Buffer).subarray(0, bytes), true);
        return true;
      },
    };
  }

  /** True while bytes go straight from source to dest (started, no toxic in this direction). */
  get passThrough(): boolean {
    return this.source !== undefined && this.stages.length === 0;
  }

  /** Build the chain from the proxy's current toxics and start reading `source`. */
  start(source: Socket, dest: Socket, chain: readonly ToxicDefinition[]): void {
    this.source = source;
    this.dest = dest;
    for (const toxic of chain) this.addToxic(toxic);
    source.once('end', () => this.onSourceEnd());
    source.once('close', () => this.onSourceEnd());
    dest.on('drain', () => {
      this.destBlocked = false;
      this.maybeResume();
    });
    source.resume();
  }

  onData(data: Buffer): void {
    this.onRead(data, false);
  }

  addToxic(toxic: ToxicDefinition): void {
    const stage = toxic.kind.create({ ...toxic.attributes }, this.control);
    stage.next = this.sink;
    const last = this.stages.at(-1);
    if (last) last.stage.next = stage;
    this.stages.push({ toxic, stage });
    if (roll(toxic.toxicity)) stage.activate();
  }

  updateToxic(toxic: ToxicDefinition): void {
    const entry = this.stages.find((e) => e.toxic === toxic);
    if (!entry) return;
    entry.stage.update({ ...toxic.attributes });
    // Toxiproxy re-runs an updated toxic, rolling its toxicity again.
    if (roll(toxic.toxicity)) entry.stage.activate();
    else entry.stage.deactivate();
  }

  removeToxic(toxic: ToxicDefinition): void {
    const index = this.stages.findIndex((e) => e.toxic === toxic);
    if (index < 0) return;
    const { stage } = this.stages[index];
    // Flush first so held bytes stay ahead of anything the previous stage sends next.
    stage.remove();
    if (index > 0) this.stages[index - 1].stage.next = stage.next;
    this.stages.splice(index, 1);
    stage.dispose();
  }

  /** Cancel every timer; the sockets are being torn down by the connection. */
  dispose(): void {
    this.sourceDone = true;
    this.destDone = true;
    for (const { stage } of this.stages) stage.dispose();
  }

  /** `reused`: `data` is a view of the link's read buffer, overwritten by the next read. */
  private onRead(data: Buffer, reused: boolean): void {
    if (this.sourceDone) return;
    if (reused && data.length === this.readBuffer?.length) this.grow = true;
    if (this.stages.length === 0) this.forward(data);
    else this.chainData(reused ? Buffer.from(data) : data);
  }

  private nextReadBuffer(): Buffer {
    if (!this.readBuffer || (this.grow && this.readBuffer.length < LARGEST_READ_BUFFER)) {
      this.readBuffer = Buffer.allocUnsafeSlow(this.readBuffer ? Math.min(LARGEST_READ_BUFFER, this.readBuffer.length * 4) : FIRST_READ_BUFFER);
    }
    this.grow = false;
    return this.readBuffer;
  }

  private forward(data: Buffer): void {
    const dest = this.dest!;
    if (this.destDone || dest.destroyed) return;
    this.host.delivered?.(this.direction, data.length);
    this.writes++;
    dest.write(data, this.afterWrite);
    // Queued, not yet in the kernel: the write holds `data` (the read buffer) until it completes.
    if (dest.writableLength > 0) {
      this.waitFor = this.writes;
      this.pause();
    }
  }

  private chainData(data: Buffer): void {
    this.held += data.length;
    if (this.held > HIGH_WATER) this.pause();
    const chunk: Chunk = { data, readAt: this.host.now() };
    this.entry().write(chunk);
  }

  private entry(): StageOutput {
    return this.stages[0]?.stage ?? this.sink;
  }

  private onSourceEnd(): void {
    if (this.sourceDone) return;
    this.sourceDone = true;
    this.entry().end();
  }

  private writeDest(chunk: Chunk): void {
    this.release(chunk.data.length);
    const dest = this.dest!;
    if (this.destDone || dest.destroyed) return;
    this.host.delivered?.(this.direction, chunk.data.length);
    if (!dest.write(chunk.data)) {
      this.destBlocked = true;
      this.pause();
    }
  }

  private endDest(): void {
    if (this.destDone) return;
    this.destDone = true;
    const dest = this.dest!;
    if (dest.destroyed) return;
    // Half-close first so written bytes are delivered, then close for good.
    dest.end(() => dest.destroy());
  }

  private release(bytes: number): void {
    this.held -= bytes;
    this.maybeResume();
  }

  private pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.source!.pause();
  }

  private maybeResume(): void {
    if (!this.paused || this.destBlocked || this.waitFor !== 0 || this.held >= LOW_WATER || this.source!.destroyed) return;
    this.paused = false;
    this.source!.resume();
  }
}

/** Toxicity is the probability a toxic applies to a given link. */
function roll(toxicity: number): boolean {
  return Math.random() < toxicity;
}
