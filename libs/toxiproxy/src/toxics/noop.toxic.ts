import { ToxicStage, type Chunk } from './toxic-stage.js';

/** Passes everything through unchanged. */
export class NoopToxic extends ToxicStage {
  protected onWrite(chunk: Chunk): void {
    this.emit(chunk);
  }
}
