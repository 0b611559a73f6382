import { net, protocol } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../../core/server/csp.js';
import { resolveServedPath, type ServedPath } from '../../core/config/safe-path.js';
import { APP_HOST, APP_SCHEME } from './origin.js';

export function registerSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

/**
 * What an app:// URL maps to on disk: the renderer, or images/ and reports/ of the data folder, through
 * the same guard as the browser-mode server (decode once, normalise, real-path containment).
 */
export function appFileFor(requestUrl: string, rendererDir: string, dataDir: string): ServedPath {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400, reason: 'bad URL' };
  }
  if (url.host !== APP_HOST) return { ok: false, status: 404, reason: 'not found' };
  // The WHATWG parser already resolved literal and %2e dot segments within the URL; the guard handles
  // the rest (%2f, backslashes, NUL, symlinks) on the still-encoded path.
  const rawPath = url.pathname;
  if (rawPath.startsWith('/files/')) return resolveServedPath(dataDir, rawPath.slice('/files/'.length), ['images', 'reports']);
  return resolveServedPath(rendererDir, rawPath === '/' ? 'index.html' : rawPath);
}

/** Serves the built renderer and the data folder's images/ and reports/ under app://ferrolab/. */
export function handleAppProtocol(rendererDir: string, dataDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const found = appFileFor(request.url, rendererDir, dataDir);
    if (!found.ok) return new Response(found.reason, { status: found.status });
    const res = await net.fetch(pathToFileURL(found.file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });
}

export const rendererIndexUrl = `${APP_SCHEME}://${APP_HOST}/index.html`;
export const defaultRendererDir = (root: string) => join(root, 'dist', 'renderer');
