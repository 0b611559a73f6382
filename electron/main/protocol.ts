import { net, protocol } from 'electron';
import { join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../../core/server/csp.js';
import { APP_HOST, APP_SCHEME } from './origin.js';

export function registerSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

function contained(base: string, rel: string): string | null {
  const full = resolve(base, normalize(rel).replace(/^([/\\])+/, ''));
  return full === base || full.startsWith(base + sep) ? full : null;
}

/** Serves the built renderer and the data folder's images/ and reports/ under app://ferrolab/. */
export function handleAppProtocol(rendererDir: string, dataDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('not found', { status: 404 });
    const path = decodeURIComponent(url.pathname);
    let file: string | null;
    if (path.startsWith('/files/')) {
      const rel = path.slice('/files/'.length);
      file = ['images', 'reports'].includes(rel.split('/')[0]) ? contained(dataDir, rel) : null;
    } else {
      file = contained(rendererDir, path === '/' ? 'index.html' : path);
    }
    if (!file) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });
}

export const rendererIndexUrl = `${APP_SCHEME}://${APP_HOST}/index.html`;
export const defaultRendererDir = (root: string) => join(root, 'dist', 'renderer');
