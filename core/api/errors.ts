import type { z } from 'zod';
import { RefusedError } from '../runtime/refused.js';
import { english } from '../runtime/english.js';
import type { Phrase } from './phrase.js';

export type ApiErrorCode =
  | 'invalid_argument'
  | 'not_found'
  | 'conflict'
  | 'failed_precondition'
  | 'unavailable'
  | 'cancelled'
  | 'forbidden'
  | 'internal';

/** Serialisable error shape: the same object crosses IPC and HTTP, so the UI can tell errors apart. */
export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  /** Dotted path of the offending field when the error is about one argument, e.g. `points.3.x_mm`. */
  field?: string;
  /** Extra machine-readable detail, e.g. the bad lines of a CSV import. */
  details?: unknown;
  /** The message as a code and its parameters (core/api/phrase.ts), so the interface can word it in its language. */
  phrase?: Phrase;
}

export interface ApiErrorOptions {
  field?: string;
  details?: unknown;
  phrase?: Phrase;
}

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly field?: string;
  readonly details?: unknown;
  readonly phrase?: Phrase;
  constructor(code: ApiErrorCode, message: string, opts: ApiErrorOptions = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.field = opts.field;
    this.details = opts.details;
    this.phrase = opts.phrase;
  }
  /** An error worded once, in the phrase catalog: `message` is its English words (core/runtime/english.ts). */
  static said(code: ApiErrorCode, phrase: Phrase, opts: Omit<ApiErrorOptions, 'phrase'> = {}): ApiError {
    return new ApiError(code, english(phrase), { ...opts, phrase });
  }
  toBody(): ApiErrorBody {
    const body: ApiErrorBody = { code: this.code, message: this.message };
    if (this.field !== undefined) body.field = this.field;
    if (this.details !== undefined) body.details = this.details;
    if (this.phrase !== undefined) body.phrase = this.phrase;
    return body;
  }
}

export const notFound = (what: string, id: unknown) => new ApiError('not_found', `${what} ${String(id)} does not exist`);

/** Turns a zod failure into one sentence that names the first bad field, so users see what to fix. */
export function fromZodError(err: z.ZodError, where: string): ApiError {
  const issue = err.issues[0];
  const field = issue && issue.path.length ? issue.path.map(String).join('.') : undefined;
  const msg = issue ? issue.message : 'invalid value';
  const text = field ? `${where}: field "${field}": ${msg}` : `${where}: ${msg}`;
  return new ApiError('invalid_argument', text, {
    field,
    details: err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  });
}

/** The body of an error the contract knows: an ApiError, or a domain's RefusedError (same fields). */
export function toErrorBody(err: unknown): ApiErrorBody {
  if (err instanceof ApiError) return err.toBody();
  if (err instanceof RefusedError) return new ApiError(err.code, err.message, { field: err.field, details: err.details, phrase: err.phrase }).toBody();
  if (err instanceof Error && err.name === 'AbortError') return { code: 'cancelled', message: err.message || 'cancelled' };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message };
}
