/**
 * One CSP for both shells: only our own scripts, no remote anything. 'wasm-unsafe-eval' lets
 * WebAssembly compile without allowing string eval; blob:/data: images carry rendered maps.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
