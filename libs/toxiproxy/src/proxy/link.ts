import type { Socket } from 'node:net';
import type { ToxicChainListener } from '../toxics/toxic-collection.js';
import type { Direction, ToxicDefinition } from '../toxics/toxic-definition.js';
import type { Chunk, LinkControl, StageOutput, ToxicStage } from '../toxics/toxic-stage.js';

/** Bytes held inside a link's toxics before the source is paused. */
const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;

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
 * Fast path: a link without toxics is a plain `pipe()` (Node's own flow
 * control, no per-chunk bookkeeping but the byte count), since every call
 * of the mesh crosses a proxy that has none. The first toxic added turns
 * it into the chain for the rest of the connection.
 *
 *   source --pipe()--------------------------------> dest   (no toxic)
 *   source --data--> [toxic 1] -> [toxic 2] -> sink -> dest
 */
export class Link implements ToxicChainListener {
  private readonly stages: StageEntry[] = [];
  private readonly control: LinkControl;
  private readonly sink: StageOutput;
  private held = 0;
  private destBlocked = false;
  private sourceDone = false;
  private destDone = false;
  private piping = false;
  private readonly onData = (data: Buffer): void => this.chainData(data);
  private readonly countPiped = (data: Buffer): void => this.host.delivered?.(this.direction, data.length);

  constructor(
    readonly direction: Direction,
    private readonly source: Socket,
    private readonly dest: Socket,
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
  }

  /** Build the chain from the proxy's current toxics and start reading. */
  start(chain: readonly ToxicDefinition[]): void {
    for (const toxic of chain) this.addToxic(toxic);
    if (this.stages.length === 0) {
      this.piping = true;
      this.source.on('data', this.countPiped);
      // The end is ours to handle (a full close, like the chain's).
      this.source.pipe(this.dest, { end: false });
    } else {
      this.source.on('data', this.onData);
    }
    this.source.once('end', () => this.onSourceEnd());
    this.source.once('close', () => this.onSourceEnd());
    this.dest.on('drain', () => {
      this.destBlocked = false;
      this.maybeResume();
    });
  }

  addToxic(toxic: ToxicDefinition): void {
    if (this.piping) this.leavePipe();
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

  private entry(): StageOutput {
    return this.stages[0]?.stage ?? this.sink;
  }

  /** A toxic arrives on a piped link: everything piped so far is already in `dest`, so order holds. */
  private leavePipe(): void {
    this.piping = false;
    this.source.unpipe(this.dest);
    this.source.off('data', this.countPiped);
    this.source.on('data', this.onData);
    // unpipe() paused the source; it flows again once `dest` can take more.
    this.destBlocked = this.dest.writableNeedDrain;
    this.maybeResume();
  }

  private chainData(data: Buffer): void {
    if (this.sourceDone) return;
    this.held += data.length;
    if (this.held > HIGH_WATER) this.source.pause();
    const chunk: Chunk = { data, readAt: this.host.now() };
    this.entry().write(chunk);
  }

  private onSourceEnd(): void {
    if (this.sourceDone) return;
    this.sourceDone = true;
    this.entry().end();
  }

  private writeDest(chunk: Chunk): void {
    this.release(chunk.data.length);
    if (this.destDone || this.dest.destroyed) return;
    this.host.delivered?.(this.direction, chunk.data.length);
    if (!this.dest.write(chunk.data)) {
      this.destBlocked = true;
      this.source.pause();
    }
  }

  private endDest(): void {
    if (this.destDone) return;
    this.destDone = true;
    if (this.dest.destroyed) return;
    // Half-close first so written bytes are delivered, then close for good.
    this.dest.end(() => this.dest.destroy());
  }

  private release(bytes: number): void {
    this.held -= bytes;
    this.maybeResume();
  }

  private maybeResume(): void {
    if (!this.destBlocked && this.held < LOW_WATER && this.source.isPaused() && !this.source.destroyed) this.source.resume();
  }
}

/** Toxicity is the probability a toxic applies to a given link. */
function roll(toxicity: number): boolean {
  return Math.random() < toxicity;
}
