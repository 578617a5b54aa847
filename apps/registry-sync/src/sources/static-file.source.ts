import { type FSWatcher, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { parse } from 'yaml';
import { parseInstanceList } from '../sync-instance.js';
import type { InstanceSource, InstanceSourceUpdate } from './instance-source.js';

export interface StaticFileSourceOptions {
  /** A YAML or JSON file `instances: [...]` (JSON is YAML). */
  readonly path: string;
  /** Quiet time after the last change before the file is read again (editors write in several steps). */
  readonly debounceMs: number;
  /** Zone for instances that name none. */
  readonly defaultZone: string | undefined;
}

/**
 * Instances listed in a file, re-read when it changes: the directory is
 * watched (editors and `mv` replace the file, which would orphan a watch on
 * the file itself), changes are debounced, and every read delivers the full
 * list. A file that does not parse or validate is reported as an error with
 * its path-qualified reason, so the syncer keeps the last good list.
 */
export class StaticFileSource implements InstanceSource {
  readonly description: string;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private listener: ((update: InstanceSourceUpdate) => void) | undefined;
  private stopped = false;
  private reading: Promise<void> = Promise.resolve();

  constructor(private readonly options: StaticFileSourceOptions) {
    this.description = `static ${options.path}`;
  }

  start(listener: (update: InstanceSourceUpdate) => void): void {
    this.listener = listener;
    const name = basename(this.options.path);
    this.watcher = watch(dirname(this.options.path), (_event, changed) => {
      if (changed === null || changed === name) this.schedule();
    });
    this.watcher.unref();
    this.watcher.on('error', (error) => this.deliver({ error: new Error(`watching ${this.options.path}: ${error.message}`) }));
    this.read();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.watcher?.close();
    await this.reading;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.read(), this.options.debounceMs);
    this.timer.unref();
  }

  private read(): void {
    // Reads are chained so an older read never delivers after a newer one.
    this.reading = this.reading.then(async () => {
      if (this.stopped) return;
      let text: string;
      try {
        text = await readFile(this.options.path, 'utf8');
      } catch (error) {
        this.deliver({ error: new Error(`cannot read ${this.options.path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`) });
        return;
      }
      try {
        this.deliver({ instances: parseInstanceList(parse(text) ?? {}, this.options.defaultZone) });
      } catch (error) {
        this.deliver({ error: new Error(`${this.options.path}: ${(error as Error).message.split('\n')[0]}`) });
      }
    });
  }

  private deliver(update: InstanceSourceUpdate): void {
    if (!this.stopped) this.listener?.(update);
  }
}
