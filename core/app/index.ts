export { createAppContext, type AppContext, type ContextOptions, type Shell } from './context.js';
export { dispatch, dispatchEnvelope, localClient } from './dispatch.js';
export type { Handler, Handlers } from './handler-types.js';
