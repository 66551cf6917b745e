/**
 * How long-running commands (`dev`, `scheduler`, `webhook`) learn to stop: SIGTERM or SIGINT.
 */

/** Resolves with the signal's name when the process is asked to stop. */
export function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve(signal);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
