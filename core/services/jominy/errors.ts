import { ApiError } from '../../api/errors.js';
import { RefusedError } from '../../runtime/refused.js';
import { A255RangeError, ConstraintError, JominyCsvError, TargetError } from '../../jominy/index.js';

/** Domain errors (core/jominy's refusals, each said as a code) become API errors with the domain's own phrase. */
export function asApiError(err: unknown): never {
  // the headline as a code; each issue in `details` carries its own phrase beside its English words
  if (err instanceof JominyCsvError) throw new ApiError('invalid_argument', err.message, { details: err.issues, phrase: err.phrase });
  if (err instanceof A255RangeError) throw ApiError.said('invalid_argument', err.phrase, { field: `chemistry.${err.element}` });
  if (err instanceof TargetError || err instanceof ConstraintError) throw ApiError.said('invalid_argument', err.phrase);
  // a refusal core/jominy said as a code (a curve read outside its distances, too few heats, a by-grade split without
  // grades …); a RangeError that is left there is a bug (an internal shape check) and goes on as one: 'internal'
  if (err instanceof RefusedError && err.phrase) throw ApiError.said(err.code, err.phrase, { field: err.field, details: err.details });
  throw err;
}
