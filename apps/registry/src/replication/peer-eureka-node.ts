import { PeerHttp, PeerUnreachableError } from './peer-http.js';
import { parseJsonSafely } from '../safe-json.js';
import { type ReplicationItem, type ReplicationItemResponse, replicationTaskKey } from './replication-action.js';

/** Batching, retry and bounds of the replication stream to one peer. */
export interface PeerEurekaNodeOptions {
  /** Eureka: 250 actions per batch. */
  readonly batchSize: number;
  /** How long the first queued action waits for company before a batch leaves (Eureka: 500 ms). */
  readonly batchDelayMs: number;
  readonly timeoutMs: number;
  /** The `Authorization` header peers expect (the peer credential); none when auth is off. */
  readonly authorization?: string;
  /** Pending actions beyond this are dropped, oldest first, and counted. */
  readonly maxQueue: number;
  /** First retry delay after a 503, a timeout or a connection error; doubles up to retryMaxMs. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly now: () => number;
  /** Our current copy as a Register item: the answer to a peer that lost the instance (heartbeat 404). */
  readonly registerItemFor: (app: string, id: string) => ReplicationItem | undefined;
  /** The peer holds a newer copy (heartbeat 409 with entity): take it locally, without replicating it back. */
  readonly adoptPeerCopy: (instanceInfo: Record<string, unknown>) => void;
  readonly log: (line: string) => void;
}

/** Counters of one peer's replication stream, for metrics and tests. */
export interface PeerReplicationStats {
  readonly peer: string;
  /** Actions not yet acknowledged: queued plus the batch in flight. */
  readonly queueLength: number;
  /** Age of the oldest unacknowledged action: how far the peer lags behind us (0 when caught up). */
  readonly lagMs: number;
  readonly sentItems: number;
  /** Items the peer answered with an error status (other than a handled heartbeat 404/409). */
  readonly failedItems: number;
  /** Items dropped because the queue was full or a batch failed for good. */
  readonly droppedItems: number;
  readonly retries: number;
  readonly lastSuccessAt: number | undefined;
}

interface Task {
  readonly key: string;
  readonly item: ReplicationItem;
  readonly enqueuedAt: number;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Replicates actions to one peer through `POST {peer}/peerreplication/batch/`
 * (Eureka's PeerEurekaNode + TaskDispatcher): actions wait up to
 * batchDelayMs or until batchSize are queued; one batch is in flight at a
 * time so actions on one instance reach the peer in order. A pending action
 * with the same key (action + instance) is replaced by the newer one, which
 * moves to the end of the queue. Retryable failures (503, timeouts,
 * connection errors) retry the same batch with exponential backoff; other
 * failures drop it. Convergence does not depend on every action arriving:
 * the next heartbeat answered 404 re-sends the whole instance.
 */
export class PeerEurekaNode {
  private readonly http: PeerHttp;
  private readonly pending = new Map<string, Task>();
  private inFlight: Task[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sending = false;
  private closed = false;
  private consecutiveFailures = 0;
  private sentItems = 0;
  private failedItems = 0;
  private droppedItems = 0;
  private retries = 0;
  private lastSuccessAt: number | undefined;
  private lastFailureLogged = '';

  constructor(
    readonly peer: string,
    private readonly options: PeerEurekaNodeOptions,
  ) {
    this.http = new PeerHttp(peer, options.timeoutMs, options.authorization);
  }

  enqueue(item: ReplicationItem): void {
    if (this.closed) return;
    const key = replicationTaskKey(item);
    const previous = this.pending.get(key);
    if (previous !== undefined) {
      this.pending.delete(key);
    } else if (this.pending.size >= this.options.maxQueue) {
      const oldest = this.pending.keys().next().value as string;
      this.pending.delete(oldest);
      this.droppedItems++;
    }
    this.pending.set(key, { key, item, enqueuedAt: previous?.enqueuedAt ?? this.options.now() });
    this.schedule();
  }

  stats(): PeerReplicationStats {
    const now = this.options.now();
    let oldest = Number.POSITIVE_INFINITY;
    for (const task of this.inFlight) oldest = Math.min(oldest, task.enqueuedAt);
    for (const task of this.pending.values()) oldest = Math.min(oldest, task.enqueuedAt);
    return {
      peer: this.peer,
      queueLength: this.pending.size + this.inFlight.length,
      lagMs: oldest === Number.POSITIVE_INFINITY ? 0 : Math.max(0, now - oldest),
      sentItems: this.sentItems,
      failedItems: this.failedItems,
      droppedItems: this.droppedItems,
      retries: this.retries,
      lastSuccessAt: this.lastSuccessAt,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.http.close();
  }

  private schedule(): void {
    if (this.sending || this.closed) return;
    if (this.pending.size >= this.options.batchSize) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.flush();
      return;
    }
    if (this.timer !== undefined || this.pending.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.options.batchDelayMs);
    this.timer.unref();
  }

  private flush(): void {
    if (this.sending || this.closed || this.pending.size === 0) return;
    const batch: Task[] = [];
    for (const [key, task] of this.pending) {
      if (batch.length >= this.options.batchSize) break;
      batch.push(task);
      this.pending.delete(key);
    }
    this.inFlight = batch;
    this.sending = true;
    void this.send();
  }

  private async send(): Promise<void> {
    const batch = this.inFlight;
    let outcome: 'done' | 'retry';
    try {
      const response = await this.http.request('POST', '/peerreplication/batch/', {
        replicationList: batch.map((task) => task.item),
      });
      if (response.status === 200) {
        this.handleResponses(batch, response.body);
        outcome = 'done';
      } else if (response.status === 503) {
        outcome = this.failed(`HTTP 503`);
      } else {
        // A peer that rejects the batch outright will reject it again: drop it.
        this.droppedItems += batch.length;
        this.logOnce(`replication to ${this.peer}: batch answered HTTP ${response.status}, ${batch.length} actions dropped`);
        outcome = 'done';
      }
    } catch (error) {
      if (!(error instanceof PeerUnreachableError)) throw error;
      outcome = this.failed(error.message);
    }
    if (this.closed) return;
    if (outcome === 'retry') {
      this.retries++;
      const delay = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** Math.min(16, this.consecutiveFailures - 1));
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (!this.closed) void this.send();
      }, delay);
      this.timer.unref();
      return;
    }
    this.inFlight = [];
    this.sending = false;
    this.schedule();
  }

  private failed(reason: string): 'retry' {
    this.consecutiveFailures++;
    this.logOnce(`replication to ${this.peer} failing, retrying with backoff: ${reason}`);
    return 'retry';
  }

  private handleResponses(batch: readonly Task[], body: string): void {
    if (this.consecutiveFailures > 0) this.log(`replication to ${this.peer} recovered`);
    this.consecutiveFailures = 0;
    this.lastFailureLogged = '';
    this.lastSuccessAt = this.options.now();
    let responses: unknown;
    try {
      responses = (parseJsonSafely(body) as { responseList?: unknown }).responseList;
    } catch {
      responses = undefined;
    }
    if (!Array.isArray(responses)) {
      this.failedItems += batch.length;
      return;
    }
    batch.forEach((task, index) => {
      const response = responses[index] as ReplicationItemResponse | undefined;
      const code = isObject(response) && typeof response.statusCode === 'number' ? response.statusCode : 500;
      if (code < 300) {
        this.sentItems++;
        return;
      }
      this.onItemFailure(task.item, code, isObject(response) ? response.responseEntity : undefined);
    });
  }

  /** Eureka PeerEurekaNode.heartbeat's handleFailure, extended to status actions a peer cannot apply. */
  private onItemFailure(item: ReplicationItem, code: number, entity: unknown): void {
    const resync = item.action === 'Heartbeat' || item.action === 'StatusUpdate' || item.action === 'DeleteStatusOverride';
    if (code === 404 && resync) {
      const register = this.options.registerItemFor(item.appName, item.id);
      if (register !== undefined) this.enqueue(register);
      return;
    }
    if (code === 409 && item.action === 'Heartbeat' && isObject(entity)) {
      this.options.adoptPeerCopy(isObject(entity.instance) ? entity.instance : entity);
      return;
    }
    if (code === 404 && item.action === 'Cancel') return; // already gone there: the goal is met
    this.failedItems++;
  }

  private logOnce(line: string): void {
    if (line === this.lastFailureLogged) return;
    this.lastFailureLogged = line;
    this.log(line);
  }

  private log(line: string): void {
    this.options.log(line);
  }
}
