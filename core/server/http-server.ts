import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import type { AppContext } from '../app/context.js';
import { dispatchEnvelope } from '../app/dispatch.js';
import { uploadLimitsFor, UploadTooLargeError, type UploadLimits } from '../app/upload-store.js';
import { packageRoot } from '../config/version.js';
import { resolveServedPath } from '../config/safe-path.js';
import { toErrorBody } from '../api/errors.js';
import { CONTENT_SECURITY_POLICY } from './csp.js';
import { LaunchCodes } from './launch-codes.js';

export interface RunningServer {
  /** The server's address, without any secret: opening it needs a launch link. */
  url: string;
  port: number;
  /** The per-launch API token (in-process use: tests, the CLI). Never put it in a URL or an argv. */
  token: string;
  /**
   * A link that opens the app once: it carries a one-time code (in the fragment, so no request line or
   * log holds it) that the page exchanges for the token. Valid for `ttlMs` or until first used.
   */
  launchUrl(ttlMs?: number): string;
  close(): Promise<void>;
}

export interface ServerOptions {
  port?: number;
  /** Folder of the built renderer; defaults to dist/renderer of the package. */
  rendererDir?: string;
  /** Upload limits; default: from the configured pixel limit (uploadLimitsFor). */
  uploadLimits?: UploadLimits;
  /** Largest JSON body of an API call (bytes). */
  maxJsonBytes?: number;
  /** Fixed token (tests); otherwise random per launch. */
  token?: string;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
  '.csv': 'text/csv; charset=utf-8',
  '.dzi': 'application/xml',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/** Data-folder subfolders the UI may read files from (tiles, thumbnails, patches, reports). */
export const SERVED_DATA_FOLDERS = ['images', 'reports'] as const;

/** A launch link opened through the system browser is on its command line: it must die fast. */
export const BROWSER_LAUNCH_TTL_MS = 2 * 60 * 1000;

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8', extra: Record<string, string> = {}) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...extra });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown, extra: Record<string, string> = {}) {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8', extra);
}

/** 413 for a body over its limit; the connection closes so the rest of the body is not read. */
function sendTooLarge(res: ServerResponse, message: string) {
  sendJson(res, 413, { ok: false, error: { code: 'invalid_argument', field: 'upload', message } }, { Connection: 'close' });
}

function secretMatches(given: string | null | undefined, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

class BodyTooLargeError extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    const onData = (c: Buffer) => {
      n += c.length;
      if (n > limit) {
        req.off('data', onData);
        req.pause();
        reject(new BodyTooLargeError(`The request body is larger than ${limit} bytes`));
      } else chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function serveFile(res: ServerResponse, file: string, headers: Record<string, string> = {}) {
  res.writeHead(200, {
    'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
    ...headers,
  });
  createReadStream(file).pipe(res);
}

/**
 * Browser mode: the same contract as the Electron IPC, over HTTP on 127.0.0.1 only; the Host header is
 * checked so a DNS-rebinding page cannot pose as localhost.
 *
 * Authentication. The per-launch token never appears in a URL or on a command line (where any local
 * user could read it in /proc/<pid>/cmdline): the browser is opened with a one-time launch code that the
 * page exchanges once (POST /api/session) for the token (the same page, reloaded before it stored the answer, may
 * exchange it again for a few seconds: launch-codes.ts says why that is safe). API calls carry the token in the Authorization
 * header only. <img> tags and EventSource cannot set headers, so the exchange also sets a cookie holding
 * a second, read-only secret: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends
 * it), named after the port (two servers do not clobber each other). It opens only GET /files/* (images/
 * and reports/) and the event stream; it can never call a method. Signed per-file URLs would avoid the
 * cookie but put a secret back into every URL (history, devtools, copied links).
 */
export async function startServer(ctx: AppContext, opts: ServerOptions = {}): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('hex');
  const fileKey = randomBytes(24).toString('hex');
  const codes = new LaunchCodes();
  const rendererDir = resolve(opts.rendererDir ?? join(packageRoot, 'dist', 'renderer'));
  const maxJson = opts.maxJsonBytes ?? 64 * 1024 * 1024;
  let port = 0;
  const cookieName = () => `ferrolab_files_${port}`;
  const sseClients = new Set<ServerResponse>();

  const unsubscribe = ctx.bus.subscribe((ev) => {
    const line = `data: ${JSON.stringify(ev)}\n\n`;
    for (const c of sseClients) c.write(line);
  });

  const server = createServer(async (req, res) => {
    try {
      const host = req.headers.host ?? '';
      if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(res, 403, 'forbidden host');
      // The raw request target, undecoded: new URL() would resolve %2e%2e and backslashes before we look.
      const target = req.url ?? '/';
      if (!target.startsWith('/')) return send(res, 400, 'bad request target');
      const q = target.indexOf('?');
      const rawPath = q === -1 ? target : target.slice(0, q);
      let path: string;
      try {
        path = decodeURIComponent(rawPath);
      } catch {
        return send(res, 400, 'malformed %-escape in the path');
      }
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const authorised = secretMatches(bearer, token);
      const cookieOk = secretMatches(cookieValue(req, cookieName()), fileKey);

      if (path === '/api/session') {
        if (req.method !== 'POST') return send(res, 405, 'use POST');
        const origin = req.headers.origin;
        if (origin && origin !== `http://${host}`) return send(res, 403, 'forbidden origin');
        let code: unknown;
        let pageKey: unknown;
        try {
          ({ code, page: pageKey } = JSON.parse((await readBody(req, 4096)).toString('utf8')) as { code?: unknown; page?: unknown });
        } catch (err) {
          if (err instanceof BodyTooLargeError) return sendTooLarge(res, err.message);
          return sendJson(res, 400, { ok: false, error: { code: 'invalid_argument', message: 'request body is not JSON' } });
        }
        if (typeof code !== 'string' || !codes.redeem(code, typeof pageKey === 'string' ? pageKey : undefined)) {
          return sendJson(res, 403, {
            ok: false,
            error: { code: 'forbidden', message: 'This link was already used or has expired. Press Enter in the terminal running `ferrolab serve` for a new one (or restart it).' },
          });
        }
        return sendJson(res, 200, { ok: true, value: { token } }, { 'Set-Cookie': `${cookieName()}=${fileKey}; HttpOnly; SameSite=Strict; Path=/` });
      }

      if (path.startsWith('/api/')) {
        if (path === '/api/events' && req.method === 'GET') {
          if (!authorised && !cookieOk) return sendJson(res, 403, { ok: false, error: { code: 'forbidden', message: 'missing or wrong session' } });
          res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
          res.write(': connected\n\n');
          sseClients.add(res);
          req.on('close', () => sseClients.delete(res));
          return;
        }
        if (!authorised) return sendJson(res, 403, { ok: false, error: { code: 'forbidden', message: 'missing or wrong API token' } });
        if (req.method !== 'POST') return send(res, 405, 'use POST');
        if (path === '/api/upload') {
          const limits = opts.uploadLimits ?? uploadLimitsFor(ctx.services.sections.maxPixels());
          const declared = req.headers['content-length'] !== undefined ? Number(req.headers['content-length']) : undefined;
          try {
            const id = await ctx.uploads.saveStream(req, limits, Number.isSafeInteger(declared) ? declared : undefined);
            return sendJson(res, 200, { ok: true, value: { uploadId: id } });
          } catch (err) {
            if (err instanceof UploadTooLargeError) return sendTooLarge(res, err.message);
            throw err;
          }
        }
        const name = path.slice('/api/'.length);
        if (Number(req.headers['content-length']) > maxJson) return sendTooLarge(res, `The request body is larger than ${maxJson} bytes`);
        let body: Buffer;
        try {
          body = await readBody(req, maxJson);
        } catch (err) {
          if (err instanceof BodyTooLargeError) return sendTooLarge(res, err.message);
          throw err;
        }
        let args: unknown;
        try {
          args = body.length ? JSON.parse(body.toString('utf8')) : {};
        } catch {
          // not swallowed: the caller hears why
          return sendJson(res, 400, { ok: false, error: { code: 'invalid_argument', message: 'request body is not JSON' } });
        }
        return sendJson(res, 200, await dispatchEnvelope(ctx, name, args));
      }

      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');

      if (rawPath.startsWith('/files/')) {
        if (!authorised && !cookieOk) return send(res, 403, 'missing or wrong session');
        const found = resolveServedPath(ctx.paths.root, rawPath.slice('/files/'.length), SERVED_DATA_FOLDERS);
        if (!found.ok) return send(res, found.status, found.reason);
        return serveFile(res, found.file);
      }
      if (path.startsWith('/files/')) return send(res, 404, 'not found'); // an encoded "/files/" prefix

      const found = resolveServedPath(rendererDir, rawPath === '/' ? 'index.html' : rawPath);
      if (!found.ok) {
        if (rawPath === '/' && found.status === 404) return send(res, 503, 'The renderer is not built: run `npm run build`.');
        return send(res, found.status, found.reason);
      }
      const headers = { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' };
      return serveFile(res, found.file, headers);
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: toErrorBody(err) });
      else res.end();
    }
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  port = (server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}/`;
  return {
    url: base,
    port,
    token,
    launchUrl: (ttlMs = BROWSER_LAUNCH_TTL_MS) => `${base}#code=${codes.mint(ttlMs)}`,
    close: () =>
      new Promise<void>((ok) => {
        unsubscribe();
        for (const c of sseClients) c.end();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
