import { ApiError } from '../../api/errors.js';
import { ImageRefusedError } from '../../imaging/errors.js';

/** The API's error for what core/imaging refused (same message, field and details); anything else unchanged. */
export function imageErrorToApi(err: unknown): unknown {
  if (!(err instanceof ImageRefusedError)) return err;
  return new ApiError(err.kind === 'invalid' ? 'invalid_argument' : 'failed_precondition', err.message, { field: err.field, details: err.details });
}

/** Runs work that reads images and answers imaging refusals as API errors. */
export async function answeringImageErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw imageErrorToApi(err);
  }
}
