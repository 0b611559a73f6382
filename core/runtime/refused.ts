/**
 * A domain's refusal of its input: a file that is not an image, too many pixels, a patch file that is
 * missing. Domain code (core/imaging, …) throws this instead of the contract's ApiError, which it may not
 * import; the boundary maps it to the same error body (core/api/errors.ts `toErrorBody`), so the user sees
 * the same code, message, field and details either way.
 */
export type RefusalCode = 'invalid_argument' | 'failed_precondition';

export class RefusedError extends Error {
  readonly code: RefusalCode;
  readonly field?: string;
  readonly details?: unknown;
  constructor(code: RefusalCode, message: string, opts: { field?: string; details?: unknown } = {}) {
    super(message);
    this.name = 'RefusedError';
    this.code = code;
    this.field = opts.field;
    this.details = opts.details;
  }
}
