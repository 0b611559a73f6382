export { startServer, type RunningServer, type ServerOptions } from './http-server.js';
export { CONTENT_SECURITY_POLICY } from './csp.js';
export { openInBrowser, openServerInBrowser } from './open-browser.js';
