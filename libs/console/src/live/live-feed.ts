import type { ConsoleTopology } from '../console-options.js';
import type { LiveTick, TrafficPoint } from '../wire.js';
import { clusterTraffic } from './cluster-traffic.js';
import { faultLabel, FaultBands } from './fault-bands.js';
import type { MeshSample } from './mesh-sample.js';
import type { MeshPoller } from './mesh-poller.js';
import { tileState } from './tile-state.js';

/**
 * Samples the mesh every `tickMs` (never overlapping: a slow mesh stretches
 * the tick instead of piling requests up), turns each sample into tiles,
 * traffic and fault bands, keeps `historyMs` of traffic for pages that open
 * later, and hands every tick to `publish`.
 */
export class LiveFeed {
  private readonly history: TrafficPoint[] = [];
  private readonly bands: FaultBands;
  private last: MeshSample | undefined;
  private lastTick: LiveTick | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly topology: ConsoleTopology,
    private readonly poller: MeshPoller,
    private readonly publish: (tick: LiveTick) => void,
    private readonly tickMs = 500,
    private readonly historyMs = 5 * 60_000,
  ) {
    this.bands = new FaultBands(historyMs);
  }

  start(): void {
    this.running = true;
    void this.loop();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  get latest(): LiveTick | undefined {
    return this.lastTick;
  }

  get past(): readonly TrafficPoint[] {
    return this.history;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const began = Date.now();
      try {
        this.publish(this.tick(await this.poller.sample()));
      } catch (error) {
        // A bug in one tick must not end the live view; it shows in the supervisor's output.
        console.error(`console: live feed: ${(error as Error).message}`);
      }
      if (!this.running) return;
      await new Promise<void>((resolve) => {
        this.timer = setTimeout(resolve, Math.max(50, this.tickMs - (Date.now() - began)));
        this.timer.unref();
      });
    }
  }

  private tick(sample: MeshSample): LiveTick {
    const traffic = clusterTraffic(sample, this.last);
    this.last = sample;
    this.bands.observe(sample.t, faultLabel(sample));
    this.history.push({ t: sample.t, traffic });
    while (this.history.length > 0 && this.history[0]!.t < sample.t - this.historyMs) this.history.shift();
    this.lastTick = {
      t: sample.t,
      tiles: this.topology.processes.map((p) => tileState(p, sample)),
      traffic,
      bands: this.bands.list(),
      callers: sample.views.map((v) => v.caller),
    };
    return this.lastTick;
  }
}
