/**
 * The shim's calls to the API server, paced: a token bucket per lane, a bound on calls in flight,
 * and retries with backoff for what may succeed later (5xx, 429, a dropped connection). A call that
 * fails for good settles with its error. Two lanes: bindings, at qps and burst (YuniKorn's defaults of
 * 1000/1000); status updates and events, with a budget of their own (a tenth of the bindings' by
 * default, as kube-scheduler gives its event client a separate, small one) and after bindings when
 * both wait, so a burst of "why is my pod pending" never slows scheduling or loads the API server as
 * much as the work itself.
 */
export interface DispatcherOptions {
  /** Calls per second on average; default 1000. */
  readonly qps?: number;
  /** Calls that may go at once after a quiet spell; default 1000. */
  readonly burst?: number;
  /** The report lane's qps and burst as a share of the bindings'; default 0.1 (at least 1 each). */
  readonly reportShare?: number;
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
const LANES: readonly Lane[] = ['bind', 'report'];

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
  private readonly pace: Record<Lane, { qps: number; burst: number }>;
  private readonly reportShare: number;
  private readonly concurrency: number;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly lanes: Record<Lane, Job[]> = { bind: [], report: [] };
  private readonly tokens: Record<Lane, number>;
  private refilledAt: number;
  private inFlight = 0;
  private waking = false;
  private closed = false;

  constructor(o: DispatcherOptions = {}) {
    this.reportShare = o.reportShare ?? 0.1;
    this.pace = { bind: { qps: 1, burst: 1 }, report: { qps: 1, burst: 1 } };
    this.setPace(o.qps ?? 1000, o.burst ?? 1000);
    this.concurrency = o.concurrency ?? 64;
    this.attempts = o.attempts ?? 4;
    this.backoffMs = o.backoffMs ?? 100;
    this.now = o.now ?? (() => performance.now());
    this.setTimer = o.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
    this.tokens = { bind: this.pace.bind.burst, report: this.pace.report.burst };
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
    this.setPace(qps, burst);
    for (const lane of LANES) this.tokens[lane] = Math.min(this.tokens[lane], this.pace[lane].burst);
    this.pump();
  }

  private setPace(qps: number, burst: number): void {
    this.pace.bind = { qps: Math.max(1e-3, qps), burst: Math.max(1, burst) };
    this.pace.report = { qps: Math.max(1, qps * this.reportShare), burst: Math.max(1, Math.floor(burst * this.reportShare)) };
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
    for (const lane of LANES) this.tokens[lane] = Math.min(this.pace[lane].burst, this.tokens[lane] + ((t - this.refilledAt) * this.pace[lane].qps) / 1000);
    this.refilledAt = t;
  }

  /** The next call that may go: bindings first, each lane within its own budget. */
  private next(): Job | undefined {
    for (const lane of LANES) {
      if (this.tokens[lane] >= 1 && this.lanes[lane].length > 0) {
        this.tokens[lane] -= 1;
        return this.lanes[lane].shift();
      }
    }
    return undefined;
  }

  private pump(): void {
    this.refill();
    while (this.inFlight < this.concurrency) {
      const job = this.next();
      if (job === undefined) break;
      this.start(job);
    }
    const starved = LANES.filter((lane) => this.lanes[lane].length > 0 && this.tokens[lane] < 1);
    if (starved.length > 0 && !this.waking) {
      this.waking = true;
      const wait = Math.min(...starved.map((lane) => ((1 - this.tokens[lane]) * 1000) / this.pace[lane].qps));
      this.setTimer(() => {
        this.waking = false;
        this.pump();
      }, Math.ceil(wait));
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
