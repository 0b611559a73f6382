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

/**
 * Contract methods that only read (lists, details, previews, status): their success says nothing about the
 * action that failed, and they also run in the background (refreshes), so they never take a banner down.
 */
const READ_ONLY = /(^jobs\.)|\.(list|get|forBillet|pixelLimit|attachedList|preview|quality|meta|samples|grades|presets|predictions|info|diagnostics|previewCsv|preferences|language)$/;

/**
 * Whether a successful call of this contract method is a later success of the view that made it: every
 * method that does something (creates, saves, imports, trains, predicts, draws, exports, cancels), none
 * that only reads. Every view's actions go through `call`, so this clears a stale banner in all of them.
 */
export function isUserAction(method: string): boolean {
  return !READ_ONLY.test(method);
}
