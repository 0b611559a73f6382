import { ApiError } from '../../api/errors.js';
import { A255RangeError, ConstraintError, JominyCsvError, TargetError } from '../../jominy/index.js';

/** Domain errors (core/jominy throws plain errors) become invalid_argument with the domain's own sentence. */
export function asApiError(err: unknown): never {
  // the headline as a code; each issue in `details` carries its own phrase beside its English words
  if (err instanceof JominyCsvError) throw new ApiError('invalid_argument', err.message, { details: err.issues, phrase: err.phrase });
  if (err instanceof A255RangeError) throw ApiError.said('invalid_argument', err.phrase, { field: `chemistry.${err.element}` });
  if (err instanceof TargetError || err instanceof ConstraintError) throw ApiError.said('invalid_argument', err.phrase);
  if (err instanceof RangeError) throw new ApiError('invalid_argument', err.message);
  throw err;
}
