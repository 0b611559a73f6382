import { describe, expect, it } from 'vitest';
import { bannerAfterSuccess } from '../../../renderer/src/lib/error-scope.js';

describe('error banner scope', () => {
  it("a view's later success clears the error it raised, and only that one", () => {
    const raised = { view: 'maps', message: 'Contour levels: "x" is not a number' };
    // the Maps view draws a map after its own failure: the stale banner goes
    expect(bannerAfterSuccess(raised.message, raised, 'maps')).toBeNull();
    // another view's success leaves it
    expect(bannerAfterSuccess(raised.message, raised, 'train')).toBe(raised.message);
    // a newer error shown since (e.g. uncaught) is not the one the view raised: it stays
    expect(bannerAfterSuccess('Something went wrong', raised, 'maps')).toBe('Something went wrong');
    expect(bannerAfterSuccess(null, raised, 'maps')).toBeNull();
    expect(bannerAfterSuccess('x', null, 'maps')).toBe('x');
  });
});
