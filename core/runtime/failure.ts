/**
 * Work that failed for a reason the user can act on or must be told in their language: the GPU ran out of memory or
 * was lost, a model file is unreadable, a worker thread stopped. Domain code (core/ml, …) and core/runtime throw this
 * instead of the contract's ApiError, which they may not import; `toErrorBody` (core/api/errors.ts) answers it with its
 * code and phrase, so a job that fails with it has `error.phrase` and the interface words it (issue 15).
 */
import type { Phrase } from '../api/phrase.js';
import { english } from './english.js';

/** The contract's error codes a failure may carry (a refusal of input is core/runtime/refused.ts). */
export type FailureCode = 'invalid_argument' | 'failed_precondition' | 'unavailable' | 'internal';

export class FailedError extends Error {
  readonly code: FailureCode;
  readonly phrase: Phrase;
  constructor(code: FailureCode, message: string, phrase: Phrase) {
    super(message);
    this.name = 'FailedError';
    this.code = code;
    this.phrase = phrase;
  }
  /** A failure worded once, in the phrase catalog: `message` is its English words. */
  static said(code: FailureCode, phrase: Phrase): FailedError {
    return new FailedError(code, english(phrase), phrase);
  }
}
