/**
 * The one cancellation error. Every layer that stops on an AbortSignal (jobs, worker pools, the trainer,
 * map prediction, the GA) throws this, so callers test one thing: `name === 'AbortError'` (the same name
 * the platform's own abort errors carry), which core/api/errors.ts maps to the `cancelled` code.
 */
export class CancelledError extends Error {
  constructor(message = 'cancelled by the user') {
    super(message);
    this.name = 'AbortError';
  }
}

/** The error to throw when `signal` has fired: its reason when that is an Error, else a CancelledError. */
export function cancellationOf(signal: AbortSignal, message?: string): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new CancelledError(message);
}
