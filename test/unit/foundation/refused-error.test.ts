import { describe, expect, it } from 'vitest';
import { ApiError, toErrorBody } from '../../../core/api/errors.js';
import { RefusedError } from '../../../core/runtime/refused.js';
import { CancelledError } from '../../../core/runtime/cancelled.js';

describe('domain errors at the contract boundary', () => {
  it('a RefusedError gives the same body as the ApiError it replaces in domain code', () => {
    const details = { file: 'scan.png', reason: 'not an image' };
    const refused = new RefusedError('invalid_argument', 'Cannot import "scan.png": not an image', { field: 'upload', details });
    const api = new ApiError('invalid_argument', 'Cannot import "scan.png": not an image', { field: 'upload', details });
    expect(toErrorBody(refused)).toEqual(api.toBody());
    expect(toErrorBody(new RefusedError('failed_precondition', 'missing'))).toEqual({ code: 'failed_precondition', message: 'missing' });
  });

  it('the one cancellation error maps to "cancelled"; any other error stays internal', () => {
    expect(toErrorBody(new CancelledError())).toEqual({ code: 'cancelled', message: 'cancelled by the user' });
    expect(toErrorBody(new RangeError('boom'))).toEqual({ code: 'internal', message: 'boom' });
  });
});
