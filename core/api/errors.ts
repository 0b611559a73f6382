import type { z } from 'zod';
import { RefusedError } from '../runtime/refused.js';
import { FailedError } from '../runtime/failure.js';
import { english } from '../runtime/english.js';
import { phrase, type Phrase } from './phrase.js';
import { issuePhrase } from './zod-said.js';

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

/** The things a `not_found` names, each worded in the phrase catalog (errors.notFound.<key>). */
const NOT_FOUND = {
  Billet: (id: string) => phrase('errors.notFound.billet', { id }),
  Model: (id: string) => phrase('errors.notFound.model', { id }),
  'Training run': (id: string) => phrase('errors.notFound.trainingRun', { id }),
  'Experiment run': (id: string) => phrase('errors.notFound.experimentRun', { id }),
  'Predicted map': (id: string) => phrase('errors.notFound.predictedMap', { id }),
  'Design session': (id: string) => phrase('errors.notFound.designSession', { id }),
  Grade: (id: string) => phrase('errors.notFound.grade', { id }),
  Image: (id: string) => phrase('errors.notFound.image', { id }),
  'Jominy dataset': (id: string) => phrase('errors.notFound.jominyDataset', { id }),
  'Jominy evaluation': (id: string) => phrase('errors.notFound.jominyEvaluation', { id }),
  'Jominy predictor': (id: string) => phrase('errors.notFound.jominyPredictor', { id }),
  Report: (id: string) => phrase('errors.notFound.report', { id }),
  'Point plan': (id: string) => phrase('errors.notFound.pointPlan', { id }),
} as const satisfies Record<string, (id: string) => Phrase>;
export type NotFoundThing = keyof typeof NOT_FOUND;
export const NOT_FOUND_THINGS = Object.keys(NOT_FOUND) as NotFoundThing[];

/** "Billet 7 does not exist", in the user's language; the id is quoted as given. */
export const notFound = (what: NotFoundThing, id: unknown) => ApiError.said('not_found', NOT_FOUND[what](String(id)));

/**
 * Turns a zod failure into one sentence that names the first bad field, so users see what to fix. The frame is
 * worded in the user's language; zod's own text is quoted as zod wrote it (English).
 */
export function fromZodError(err: z.ZodError, where: string): ApiError {
  // a check said as a code (core/api/zod-said.ts: the JoMiner contract's) comes first: it is worded, zod's own text only quoted
  const issue = err.issues.find((i) => issuePhrase(i) !== null) ?? err.issues[0];
  const field = issue && issue.path.length ? issue.path.map(String).join('.') : undefined;
  const detail = issue ? (issuePhrase(issue) ?? issue.message) : '';
  const said = !issue
    ? phrase('errors.app.invalidValue', { where })
    : field
      ? phrase('errors.app.invalidField', { where, field, detail })
      : phrase('errors.app.invalid', { where, detail });
  return ApiError.said('invalid_argument', said, {
    field,
    details: err.issues.map((i) => {
      const p = issuePhrase(i);
      return { path: i.path.map(String).join('.'), message: p ? english(p) : i.message };
    }),
  });
}

/**
 * A domain's refusal caught by a service, answered as an API error with `code`: its phrase (and field) kept when it
 * was said as a code, else its message as it is.
 */
export function refusalToApi(code: ApiErrorCode, err: unknown, opts: Omit<ApiErrorOptions, 'phrase'> = {}): ApiError {
  if (err instanceof RefusedError && err.phrase) return ApiError.said(code, err.phrase, { field: err.field, details: err.details, ...opts });
  return new ApiError(code, err instanceof Error ? err.message : String(err), opts);
}

/** The body of an error the contract knows: an ApiError, a domain's RefusedError (same fields) or a said FailedError. */
export function toErrorBody(err: unknown): ApiErrorBody {
  if (err instanceof ApiError) return err.toBody();
  if (err instanceof RefusedError) return new ApiError(err.code, err.message, { field: err.field, details: err.details, phrase: err.phrase }).toBody();
  if (err instanceof Error && err.name === 'AbortError') return { code: 'cancelled', message: err.message || 'cancelled' };
  // a failure said in a domain folder or a worker thread (the GPU, a model file, a worker that stopped): its code and words
  if (err instanceof FailedError) return new ApiError(err.code, err.message, { phrase: err.phrase }).toBody();
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message };
}
