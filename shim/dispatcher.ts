/**
 * The shim's calls to the API server, paced: a token bucket (qps and burst, YuniKorn's defaults of
 * 1000/1000), a bound on calls in flight, two lanes (bindings before status updates and events, so a
 * burst of "why is my pod pending" never delays scheduling), and retries with backoff for what may
 * succeed later (5xx, 429, a dropped connection). A call that fails for good settles with its error.
 */
export interface DispatcherOptions {
  /** Calls per second on average; default 1000. */
  readonly qps?: number;
  /** Calls that may go at once after a quiet spell; default 1000. */
  readonly burst?: number;
  /** Calls in flight at most; default 64. */
  readonly concurrency?: number;
  /** Attempts per call for retriable failures; default 4. */
  readonly attempts?: number;
  /** First retry delay in ms, doubled each time; default 100. */
  readonly backoffMs?: number;
  readonly now?: () => number;
  readonly setTimer?: (fn: () => void, ms: number) => unknown;
}

export type Lane = 'bind' | 'report';

interface Job {
  readonly lane: Lane;
  readonly run: () => Promise<unknown>;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
  attempt: number;
}

/** The HTTP status of a client-node ApiException, or null for a network failure. */
export function statusOf(err: unknown): number | null {
  if (err !== null && typeof err === 'object' && 'code' in err && typeof err.code === 'number') return err.code;
  return null;
}

/** Worth trying again: the server failed or was busy, or the connection broke. */
export function retriable(err: unknown): boolean {
  const code = statusOf(err);
  return code === null || code === 429 || code >= 500;
}

export class Dispatcher {
  private qps: number;
  private burst: number;
  private readonly concurrency: number;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly lanes: Record<Lane, Job[]> = { bind: [], report: [] };
  private tokens: number;
  private refilledAt: number;
  private inFlight = 0;
  private waking = false;
  private closed = false;

  constructor(o: DispatcherOptions = {}) {
    this.qps = o.qps ?? 1000;
    this.burst = Math.max(1, o.burst ?? 1000);
    this.concurrency = o.concurrency ?? 64;
    this.attempts = o.attempts ?? 4;
    this.backoffMs = o.backoffMs ?? 100;
    this.now = o.now ?? (() => performance.now());
    this.setTimer = o.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
    this.tokens = this.burst;
    this.refilledAt = this.now();
  }

  /** Run `call` when the pace allows, retrying retriable failures; settles with its last outcome. */
  submit<T>(lane: Lane, call: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the dispatcher is closed'));
    return new Promise<T>((resolve, reject) => {
      this.lanes[lane].push({ lane, run: call, resolve: resolve as (v: unknown) => void, reject, attempt: 0 });
      this.pump();
    });
  }

  /** A new pace (a ConfigMap changed it); tokens already earned are kept up to the new burst. */
  reconfigure(qps: number, burst: number): void {
    this.refill();
    this.qps = qps;
    this.burst = Math.max(1, burst);
    this.tokens = Math.min(this.tokens, this.burst);
    this.pump();
  }

  /** Calls queued or in flight. */
  get pending(): number {
    return this.lanes.bind.length + this.lanes.report.length + this.inFlight;
  }

  /** Resolves when nothing is queued or in flight, or after `timeoutMs`; true if it emptied. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (this.pending > 0) {
      if (performance.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 10));
    }
    return true;
  }

  /** Refuse new calls; queued ones fail, calls in flight finish. */
  close(): void {
    this.closed = true;
    for (const lane of Object.values(this.lanes)) for (const job of lane.splice(0)) job.reject(new Error('the dispatcher is closed'));
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.refilledAt) * this.qps) / 1000);
    this.refilledAt = t;
  }

  private next(): Job | undefined {
    return this.lanes.bind.shift() ?? this.lanes.report.shift();
  }

  private pump(): void {
    this.refill();
    while (this.inFlight < this.concurrency && this.tokens >= 1) {
      const job = this.next();
      if (job === undefined) return;
      this.tokens -= 1;
      this.start(job);
    }
    if (this.tokens < 1 && !this.waking && this.lanes.bind.length + this.lanes.report.length > 0) {
      this.waking = true;
      this.setTimer(() => {
        this.waking = false;
        this.pump();
      }, Math.ceil(((1 - this.tokens) * 1000) / this.qps));
    }
  }

  private start(job: Job): void {
    this.inFlight++;
    job.attempt++;
    job
      .run()
      .then(
        (v) => job.resolve(v),
        (err: unknown) => {
          if (!this.closed && job.attempt < this.attempts && retriable(err)) {
            this.setTimer(() => {
              if (this.closed) job.reject(err);
              else {
                this.lanes[job.lane].unshift(job);
                this.pump();
              }
            }, this.backoffMs * 2 ** (job.attempt - 1));
            return;
          }
          job.reject(err);
        },
      )
      .finally(() => {
        this.inFlight--;
        this.pump();
      });
  }
}
