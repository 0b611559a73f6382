import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AppContext } from '../app/context.js';
import { dispatchEnvelope } from '../app/dispatch.js';
import { packageRoot } from '../config/version.js';
import { toErrorBody } from '../api/errors.js';
import { CONTENT_SECURITY_POLICY } from './csp.js';

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  port?: number;
  /** Folder of the built renderer; defaults to dist/renderer of the package. */
  rendererDir?: string;
  /** Largest accepted upload (bytes). */
  maxUploadBytes?: number;
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
const SERVED_DATA_FOLDERS = ['images', 'reports'];

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8', extra: Record<string, string> = {}) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...extra });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown) {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n > limit) {
        reject(new Error(`request body larger than ${limit} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Resolves `rel` under `base`, refusing anything that climbs out of it. */
function contained(base: string, rel: string): string | null {
  const full = resolve(base, normalize(rel).replace(/^([/\\])+/, ''));
  return full === base || full.startsWith(base + sep) ? full : null;
}

function serveFile(res: ServerResponse, file: string, headers: Record<string, string> = {}) {
  if (!existsSync(file) || !statSync(file).isFile()) return send(res, 404, 'not found');
  res.writeHead(200, {
    'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
    ...headers,
  });
  createReadStream(file).pipe(res);
}

/**
 * Browser mode: the same contract as the Electron IPC, over HTTP on 127.0.0.1 only. Every API call
 * carries the per-launch token (Authorization header, or ?token= where a header cannot be set:
 * EventSource, <img>), so other local users and web pages cannot drive the app; the Host header is
 * checked so a DNS-rebinding page cannot pose as localhost.
 */
export async function startServer(ctx: AppContext, opts: ServerOptions = {}): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('hex');
  const rendererDir = resolve(opts.rendererDir ?? join(packageRoot, 'dist', 'renderer'));
  const maxUpload = opts.maxUploadBytes ?? 2 * 1024 ** 3;
  let port = 0;
  const sseClients = new Set<ServerResponse>();

  const unsubscribe = ctx.bus.subscribe((ev) => {
    const line = `data: ${JSON.stringify(ev)}\n\n`;
    for (const c of sseClients) c.write(line);
  });

  const server = createServer(async (req, res) => {
    try {
      const host = req.headers.host ?? '';
      if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(res, 403, 'forbidden host');
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      const path = decodeURIComponent(url.pathname);
      const auth = req.headers.authorization?.replace(/^Bearer\s+/i, '') ?? url.searchParams.get('token');
      const authorised = tokenMatches(auth, token);

      if (path.startsWith('/api/')) {
        if (!authorised) return sendJson(res, 403, { ok: false, error: { code: 'forbidden', message: 'missing or wrong API token' } });
        if (path === '/api/events' && req.method === 'GET') {
          res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
          res.write(': connected\n\n');
          sseClients.add(res);
          req.on('close', () => sseClients.delete(res));
          return;
        }
        if (req.method !== 'POST') return send(res, 405, 'use POST');
        if (path === '/api/upload') {
          const id = await ctx.uploads.saveStream(req, maxUpload);
          return sendJson(res, 200, { ok: true, value: { uploadId: id } });
        }
        const name = path.slice('/api/'.length);
        const body = await readBody(req, 64 * 1024 * 1024);
        let args: unknown;
        try {
          args = body.length ? JSON.parse(body.toString('utf8')) : {};
        } catch {
          // not swallowed: the caller hears why
          return sendJson(res, 400, { ok: false, error: { code: 'invalid_argument', message: 'request body is not JSON' } });
        }
        return sendJson(res, 200, await dispatchEnvelope(ctx, name, args));
      }

      if (path.startsWith('/files/')) {
        if (!authorised) return send(res, 403, 'missing or wrong token');
        const rel = path.slice('/files/'.length);
        const top = rel.split('/')[0];
        if (!SERVED_DATA_FOLDERS.includes(top)) return send(res, 404, 'not found');
        const file = contained(ctx.paths.root, rel);
        if (!file) return send(res, 404, 'not found');
        return serveFile(res, file);
      }

      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
      const rel = path === '/' ? 'index.html' : path;
      const file = contained(rendererDir, rel);
      if (!file) return send(res, 404, 'not found');
      const headers = { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' };
      if (!existsSync(file)) {
        if (rel === 'index.html') return send(res, 503, 'The renderer is not built: run `npm run build`.');
        return send(res, 404, 'not found');
      }
      return serveFile(res, file, headers);
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
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((ok) => {
        unsubscribe();
        for (const c of sseClients) c.end();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
