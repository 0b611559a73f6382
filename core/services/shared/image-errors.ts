import { ApiError } from '../../api/errors.js';
import { RefusedError } from '../../runtime/refused.js';

/** The API's error for what a domain refused (core/imaging's RefusedError: same code, message, field and details); anything else unchanged. */
export function imageErrorToApi(err: unknown): unknown {
  if (!(err instanceof RefusedError)) return err;
  return new ApiError(err.code, err.message, { field: err.field, details: err.details, phrase: err.phrase });
}

/** Runs work that reads images and answers imaging refusals as API errors. */
export async function answeringImageErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw imageErrorToApi(err);
  }
}
