/** The renderer is served from this privileged custom scheme, never from file:// (checklist item 18). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'ferrolab';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * True when `url` is on our app origin. Compares scheme and host: WHATWG URL gives origin "null"
 * for non-special schemes such as app://, so comparing `.origin` would never match.
 */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false; // not a URL at all, so not ours
  }
}
