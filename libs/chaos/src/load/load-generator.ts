import { Pool } from 'undici';
import type { LoadSpec } from '../scenario/scenario.js';
import { assertLoopback } from './loopback.js';
import { readServedBy, type RequestRecord } from './request-record.js';

/** The scenario's load (rate or callers, duration, timeout, pool size, request mix) and where to send it. */
export interface LoadGeneratorOptions extends Omit<LoadSpec, 'warmupMs'> {
  /** Gateway origin, e.g. `http://127.0.0.1:8080`; loopback only. */
  readonly baseUrl: string;
  /** Product ids cycle through 1..idRange. */
  readonly idRange?: number;
  /** Called for each finished request, in completion order. */
  readonly onRecord?: (record: RequestRecord) => void;
  readonly now?: () => number;
}

const GOLDEN = 0.618033988749895;
const MAX_REQUESTS = 1_000_000;

/**
 * Open-loop load at a fixed rate over an undici keep-alive pool. Request i is
 * due at i/rate seconds; a slow answer never delays the next request (a
 * closed loop would hide exactly the latency a fault adds). Latency counts
 * from the due time, so time spent queued in the client is not lost.
 */
export class LoadGenerator {
  readonly records: RequestRecord[] = [];
  private readonly pool: Pool;
  private readonly total: number;
  private readonly now: () => number;
  private readonly cumulative: number[];
  private readonly maxInFlight: number;
  private stopped = false;
  private wake: (() => void) | undefined;
  private inFlight = 0;
  private startedAt = 0;

  constructor(private readonly options: LoadGeneratorOptions) {
    const origin = assertLoopback(options.baseUrl);
    const callers = options.callers;
    if (callers !== undefined && !(Number.isInteger(callers) && callers >= 1 && callers <= 512)) throw new Error(`load callers must be 1..512, got ${callers}`);
    if (callers === undefined && !(options.rate > 0 && options.rate <= 5000)) throw new Error(`load rate must be in (0, 5000] rps, got ${options.rate}`);
    this.total = callers !== undefined ? MAX_REQUESTS : Math.min(MAX_REQUESTS, Math.floor((options.rate * options.durationMs) / 1000));
    this.now = options.now ?? (() => performance.now());
    this.pool = new Pool(origin.origin, { connections: options.connections, pipelining: 1, keepAliveTimeout: 30_000 });
    const weights = options.mix.map((m) => m.weight);
    const sum = weights.reduce((a, b) => a + b, 0);
    let acc = 0;
    this.cumulative = weights.map((w) => (acc += w / sum));
    // Beyond this many open requests the target is not answering at all; queueing more only measures our own queue.
    this.maxInFlight = Math.max(options.connections * 4, callers ?? 0, Math.ceil((options.rate * options.timeoutMs) / 1000) * 2);
  }

  /** Milliseconds since the first request was due. */
  elapsedMs(): number {
    return this.startedAt === 0 ? 0 : this.now() - this.startedAt;
  }

  /** Runs the whole schedule; resolves once every request has an outcome. */
  async run(): Promise<RequestRecord[]> {
    this.startedAt = this.now();
    if (this.options.callers !== undefined) return this.runClosedLoop(this.options.callers);
    const pending = new Set<Promise<unknown>>();
    const interval = 1000 / this.options.rate;
    for (let i = 0; i < this.total && !this.stopped; ) {
      const elapsed = this.now() - this.startedAt;
      while (i < this.total && i * interval <= elapsed && !this.stopped) {
        const p = this.send(i, i * interval);
        pending.add(p);
        void p.finally(() => pending.delete(p));
        i++;
      }
      if (i < this.total && !this.stopped) await this.sleep(i * interval - (this.now() - this.startedAt));
    }
    await Promise.all(pending);
    await this.pool.close();
    return this.records;
  }

  /** `callers` loops until the duration is over (or stop()); a request is due when its caller sends it. */
  private async runClosedLoop(callers: number): Promise<RequestRecord[]> {
    let next = 0;
    const caller = async (): Promise<void> => {
      while (!this.stopped && next < this.total) {
        const due = this.now() - this.startedAt;
        if (due >= this.options.durationMs) return;
        const backOffMs = await this.send(next++, due);
        // A closed-loop caller is a well-behaved client: a 429 with Retry-After (a circuit breaker shedding load) pauses it.
        if (backOffMs > 0) {
          // Asked to wait past the end of the run: this caller is done. (Sleeping
          // only until the end instead let a timer that fires a millisecond
          // early send one more request just before it.)
          if (backOffMs >= this.options.durationMs - this.elapsedMs()) return;
          await new Promise((resolve) => setTimeout(resolve, backOffMs));
        }
      }
    };
    await Promise.all(Array.from({ length: callers }, caller));
    await this.pool.close();
    return this.records;
  }

  /** Stops scheduling; requests already sent still finish (or time out). */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, ms));
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private pickShape(i: number): number {
    const x = (i * GOLDEN) % 1;
    const index = this.cumulative.findIndex((c) => x < c);
    return index < 0 ? this.cumulative.length - 1 : index;
  }

  /** Sends request `i`; returns how long the server asked the caller to wait before the next one (429 Retry-After), else 0. */
  private async send(i: number, dueMs: number): Promise<number> {
    const shape = this.pickShape(i);
    const spec = this.options.mix[shape]!;
    const path = spec.path.replace('{id}', String((i % (this.options.idRange ?? 100)) + 1));
    const finish = (status: number, extra: Partial<RequestRecord>) => {
      const record: RequestRecord = { t: Math.round(dueMs), latencyMs: Math.round((this.now() - this.startedAt - dueMs) * 10) / 10, status, shape, ...extra };
      this.records.push(record);
      this.options.onRecord?.(record);
    };
    if (this.inFlight >= this.maxInFlight) {
      finish(0, { error: 'client overloaded' });
      return 0;
    }
    this.inFlight++;
    try {
      const response = await this.pool.request({
        path,
        method: 'GET',
        headers: { accept: 'application/json', ...spec.headers },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const text = await response.body.text();
      let servedBy: Record<string, string> | undefined;
      if (response.statusCode < 400) {
        try {
          servedBy = readServedBy(JSON.parse(text));
        } catch {
          // Not JSON: still a status, just no servedBy.
        }
      }
      finish(response.statusCode, servedBy ? { servedBy } : {});
      return response.statusCode === 429 ? retryAfterMs(response.headers['retry-after']) : 0;
    } catch (error) {
      const e = error as { name?: string; code?: string; message?: string };
      const reason = e.name === 'TimeoutError' || e.name === 'AbortError' ? 'timeout' : (e.code ?? e.message ?? 'error');
      finish(0, { error: reason });
      return 0;
    } finally {
      this.inFlight--;
    }
  }
}

/** Retry-After in seconds (RFC 9110; the HTTP-date form is not used by the gateway), capped at 10 s. */
function retryAfterMs(header: string | string[] | undefined): number {
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 10) * 1000 : 0;
}
