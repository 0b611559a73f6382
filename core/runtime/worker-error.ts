/**
 * How a worker thread's failure crosses to the thread that started it and reaches the user in their language
 * (issue 15): the worker posts its error with the phrase, code, name, field and details it was thrown with
 * (`postedError`); the parent rebuilds it (`workerFailure`) as the same kind of error — a RefusedError stays one, a
 * said failure keeps its code — and an error with no words of its own (tfjs's, a crash, an exit) is framed as
 * "<work> failed: <its text, quoted>" with a phrase per kind of work. So a job failing in a worker has `error.phrase`.
 */
import { phrase, type Phrase } from '../api/phrase.js';
import { FailedError, type FailureCode } from './failure.js';
import { RefusedError } from './refused.js';

/** What a worker posts for an error: its text, and the parts that let the parent rebuild it. */
export interface PostedError {
  message: string;
  name?: string;
  phrase?: Phrase;
  code?: string;
  field?: string;
  details?: unknown;
}

/** The error a worker posts (plain data: structured-clone safe). */
export function postedError(err: unknown): PostedError {
  if (!(err instanceof Error)) return { message: String(err) };
  const e = err as Error & { phrase?: Phrase; code?: unknown; field?: string; details?: unknown };
  const out: PostedError = { message: e.message, name: e.name };
  if (e.phrase) out.phrase = e.phrase;
  if (typeof e.code === 'string') out.code = e.code;
  if (e.field !== undefined) out.field = e.field;
  if (e.details !== undefined) {
    try {
      out.details = structuredClone(e.details);
    } catch {
      // details a thread cannot carry (a function, a class instance with one) stay behind; the words still cross
    }
  }
  return out;
}

/** "<work> failed: <detail>" for each kind of work a worker does (the `what` of runWorker and WorkerPool). */
const FAILED: Record<string, (detail: string) => Phrase> = {
  training: (detail) => phrase('workerErrors.failed.training', { detail }),
  inference: (detail) => phrase('workerErrors.failed.inference', { detail }),
  'the reproduction': (detail) => phrase('workerErrors.failed.reproduction', { detail }),
  report: (detail) => phrase('workerErrors.failed.report', { detail }),
  'synthetic billet': (detail) => phrase('workerErrors.failed.syntheticBillet', { detail }),
  'JoMiner training': (detail) => phrase('workerErrors.failed.jominyTraining', { detail }),
  GA: (detail) => phrase('workerErrors.failed.ga', { detail }),
  'map smoothing': (detail) => phrase('workerErrors.failed.mapSmoothing', { detail }),
  'pore detection': (detail) => phrase('workerErrors.failed.poreDetection', { detail }),
};

/** "The <work> worker stopped (exit code N)". */
const EXITED: Record<string, (exitCode: string) => Phrase> = {
  training: (exitCode) => phrase('workerErrors.exited.training', { exitCode }),
  inference: (exitCode) => phrase('workerErrors.exited.inference', { exitCode }),
  'the reproduction': (exitCode) => phrase('workerErrors.exited.reproduction', { exitCode }),
  report: (exitCode) => phrase('workerErrors.exited.report', { exitCode }),
  'synthetic billet': (exitCode) => phrase('workerErrors.exited.syntheticBillet', { exitCode }),
  'JoMiner training': (exitCode) => phrase('workerErrors.exited.jominyTraining', { exitCode }),
  GA: (exitCode) => phrase('workerErrors.exited.ga', { exitCode }),
  'map smoothing': (exitCode) => phrase('workerErrors.exited.mapSmoothing', { exitCode }),
  'pore detection': (exitCode) => phrase('workerErrors.exited.poreDetection', { exitCode }),
};

/** The phrase of `what` failing with `detail` (a work no table names — a test's — is quoted as given). */
export function failedPhrase(what: string, detail: string): Phrase {
  return FAILED[what]?.(detail) ?? phrase('workerErrors.failed.other', { what, detail });
}

export function exitedPhrase(what: string, exitCode: number | string): Phrase {
  return EXITED[what]?.(String(exitCode)) ?? phrase('workerErrors.exited.other', { what, exitCode: String(exitCode) });
}

const REFUSAL_CODES = new Set(['invalid_argument', 'failed_precondition']);
const FAILURE_CODES = new Set(['invalid_argument', 'failed_precondition', 'unavailable', 'internal']);

/**
 * The parent's error for a worker's posted one, with `message` (each caller keeps its own English frame): a
 * refusal stays a RefusedError, a said error keeps its phrase and code, anything else is said as `what` failing
 * with its text. The worker's error name is kept (callers tell AbortError and ConstraintError apart by it).
 */
export function workerFailure(what: string, posted: PostedError, message: string): Error {
  let e: Error;
  if (posted.phrase && posted.name === 'RefusedError' && posted.code && REFUSAL_CODES.has(posted.code))
    e = new RefusedError(posted.code as 'invalid_argument', message, { phrase: posted.phrase, field: posted.field, details: posted.details });
  else if (posted.phrase) e = new FailedError(posted.code && FAILURE_CODES.has(posted.code) ? (posted.code as FailureCode) : 'internal', message, posted.phrase);
  else e = new FailedError('internal', message, failedPhrase(what, posted.message));
  if (posted.name && posted.name !== 'Error') e.name = posted.name;
  return e;
}

/** A worker that ended without answering: its exit, said. */
export function workerExited(what: string, exitCode: number | string, message: string): FailedError {
  return new FailedError('internal', message, exitedPhrase(what, exitCode));
}
