/**
 * Runs a task one at a time, however often it is asked to: a request while it runs makes it run once
 * more afterwards (changes seen meanwhile are not lost, nor processed twice in parallel). A failed run
 * is retried after a backoff, in real time, doubling up to a ceiling; a success resets it.
 */

export type Outcome = { readonly ok: true } | { readonly ok: false; readonly message: string };

export interface Runner {
  /** Run now, or once more after the run in progress; resolves when no run is pending. */
  run(): Promise<void>;
  /** The message of the last run when it failed, null after a success. */
  lastError(): string | null;
  /** The current retry delay. */
  backoffMs(): number;
  stop(): Promise<void>;
}

export function serialRunner(task: () => Promise<Outcome>, retry: { readonly first: number; readonly max: number }, onFailure: (message: string, retryInMs: number) => void): Runner {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let backoff = retry.first;
  let lastError: string | null = null;

  const runOnce = async (): Promise<void> => {
    let outcome: Outcome;
    try {
      outcome = await task();
    } catch (e) {
      // A throw is a bug or an unexpected library failure: reported and retried like a failure.
      outcome = { ok: false, message: `unexpected error: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (outcome.ok) {
      lastError = null;
      backoff = retry.first;
      return;
    }
    lastError = outcome.message;
    if (stopped) return;
    onFailure(outcome.message, backoff);
    timer = setTimeout(() => void run(), backoff);
    timer.unref();
    backoff = Math.min(backoff * 2, retry.max);
  };

  const run = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running !== null) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await runOnce();
      } while (again && !stopped);
      running = null;
    })();
    return running;
  };

  return {
    run,
    lastError: () => lastError,
    backoffMs: () => backoff,
    stop: async () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await running;
    },
  };
}
