/**
 * Which view raised the error banner, so a later success of that view can take it down: an old "could
 * not draw the map" left above a map drawn since reads as if the new map were wrong. Only the error
 * that view raised is cleared, and only while it is still the one shown (a newer error, from another
 * view or an uncaught one, stays until dismissed).
 */
export interface RaisedError {
  view: string;
  message: string;
}

/** The banner text after `view` reports a successful action: null when its own error is the one shown. */
export function bannerAfterSuccess(shown: string | null, raised: RaisedError | null, view: string): string | null {
  if (shown !== null && raised !== null && raised.view === view && raised.message === shown) return null;
  return shown;
}
