/**
 * A domain's refusal of its input: a file that is not an image, too many pixels, a patch file that is
 * missing. Domain code (core/imaging, …) throws this instead of the contract's ApiError, which it may not
 * import; the boundary maps it to the same error body (core/api/errors.ts `toErrorBody`), so the user sees
 * the same code, message, field and details either way.
 */
import type { Phrase } from '../api/phrase.js';
import { english } from './english.js';

export type RefusalCode = 'invalid_argument' | 'failed_precondition';

export class RefusedError extends Error {
  readonly code: RefusalCode;
  readonly field?: string;
  readonly details?: unknown;
  /** The message as a code (core/api/phrase.ts), so the interface can word it in its language. */
  readonly phrase?: Phrase;
  constructor(code: RefusalCode, message: string, opts: { field?: string; details?: unknown; phrase?: Phrase } = {}) {
    super(message);
    this.name = 'RefusedError';
    this.code = code;
    this.field = opts.field;
    this.details = opts.details;
    this.phrase = opts.phrase;
  }
  /** A refusal worded once, in the phrase catalog: `message` is its English words. */
  static said(code: RefusalCode, phrase: Phrase, opts: { field?: string; details?: unknown } = {}): RefusedError {
    return new RefusedError(code, english(phrase), { ...opts, phrase });
  }
}
