/** The renderer is served from this privileged custom scheme, never from file:// (checklist item 18). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'ferrolab';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
