/**
 * Errors from @kubernetes/client-node, read into what the webhook acts on: the HTTP status (404, 409,
 * ...) or null for a failure without one (a refused connection, a timeout), and a one-line message
 * that says what failed, taken from the API server's Status document when there is one.
 */

/** The HTTP status of a client-node ApiException, or null for a network failure. */
export function httpStatus(err: unknown): number | null {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'number' ? err.code : null;
}

/** `409 Conflict: Operation cannot be fulfilled ...`, or the network error's message. */
export function describeError(err: unknown): string {
  const code = httpStatus(err);
  if (code === null) return err instanceof Error ? err.message : String(err);
  const body = typeof err === 'object' && err !== null && 'body' in err ? err.body : undefined;
  let message: unknown = undefined;
  if (typeof body === 'string') {
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed === 'object' && parsed !== null && 'message' in parsed) message = parsed.message;
    } catch {
      message = body.slice(0, 200);
    }
  }
  return `HTTP ${code}${typeof message === 'string' && message !== '' ? `: ${message}` : ''}`;
}
