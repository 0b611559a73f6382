/**
 * What the imaging code refuses, as plain data: `invalid` (the file is not a usable image: unsupported, too
 * large, corrupt, too small) or `missing` (a stored file is gone). The sections service turns it into the
 * API's error (invalid_argument / failed_precondition) with the same message, field and details.
 */
export class ImageRefusedError extends Error {
  readonly kind: 'invalid' | 'missing';
  /** The argument it is about (e.g. `upload`), when one. */
  readonly field?: string;
  /** Machine-readable detail, e.g. `{ file, reason }`. */
  readonly details?: { file?: string; reason?: string };
  constructor(kind: 'invalid' | 'missing', message: string, opts: { field?: string; details?: { file?: string; reason?: string } } = {}) {
    super(message);
    this.name = 'ImageRefusedError';
    this.kind = kind;
    this.field = opts.field;
    this.details = opts.details;
  }
}
