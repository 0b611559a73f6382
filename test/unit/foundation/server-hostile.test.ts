import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../../core/server/http-server.js';
import { tempContext } from '../../helpers/temp.js';

/**
 * A hostile local client: raw request lines over a socket, exactly as typed (fetch() would normalise
 * `..`, `%2e%2e` and backslashes before sending, which is how the old traversal test missed them).
 */
function rawRequest(port: number, lines: string[], body: Buffer | string = ''): Promise<{ status: number; raw: Buffer }> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', (err) => (chunks.length ? undefined : reject(err)));
    sock.on('close', () => {
      const raw = Buffer.concat(chunks);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(raw.toString('latin1'))?.[1] ?? 0), raw });
    });
    sock.write(`${lines.join('\r\n')}\r\nConnection: close\r\n\r\n`);
    sock.write(body); // no end(): a half-closed client may lose the answer; Connection: close ends it
  });
}

const SQLITE_MAGIC = 'SQLite format 3';

describe('browser-mode server against a hostile local client', () => {
  let ctx: ReturnType<typeof tempContext>;
  let server: RunningServer;
  let host: string;
  let passwd: string;
  beforeAll(async () => {
    ctx = tempContext('browser');
    server = await startServer(ctx, { maxJsonBytes: 1000, uploadLimits: { perFile: 100, pending: 150 } });
    host = `Host: 127.0.0.1:${server.port}`;
    mkdirSync(join(ctx.paths.images, 'abc'), { recursive: true });
    writeFileSync(join(ctx.paths.images, 'abc', 'thumb.png'), 'real thumbnail bytes');
    writeFileSync(join(ctx.paths.root, 'secret.txt'), 'TOP SECRET NOTE');
    // Links planted inside images/ that lead out of it.
    symlinkSync('/etc/passwd', join(ctx.paths.images, 'passwd.png'));
    symlinkSync(join(ctx.paths.root, 'ferrolab.sqlite'), join(ctx.paths.images, 'db.png'));
    symlinkSync(ctx.paths.root, join(ctx.paths.images, 'up'));
    passwd = readFileSync('/etc/passwd', 'utf8').split('\n')[0];
    expect(readFileSync(ctx.paths.database).subarray(0, 15).toString()).toBe(SQLITE_MAGIC);
  });
  afterAll(async () => {
    await server.close();
    await ctx.dispose();
  });

  const get = (path: string) => rawRequest(server.port, [`GET ${path} HTTP/1.1`, host, `Authorization: Bearer ${server.token}`]);

  it('serves a real file under images/ (the control)', async () => {
    const r = await get('/files/images/abc/thumb.png');
    expect(r.status).toBe(200);
    expect(r.raw.toString()).toContain('real thumbnail bytes');
  });

  it.each([
    ['/files/images%2f..%2fferrolab.sqlite', 404],
    ['/files/images%2F..%2Fferrolab.sqlite', 404],
    ['/files/images/%2e%2e/ferrolab.sqlite', 404],
    ['/files/images/%2E%2E/%2E%2E/ferrolab.sqlite', 404],
    ['/files/images/../ferrolab.sqlite', 404],
    ['/files/images/abc/../../ferrolab.sqlite', 404],
    ['/files/images/..%5cferrolab.sqlite', 400],
    ['/files/images/..\\ferrolab.sqlite', 400],
    ['/files/images/%00../ferrolab.sqlite', 400],
    ['/files/images/abc/thumb.png%00.sqlite', 400],
    ['/files/images/%252e%252e/ferrolab.sqlite', 404],
    ['/files/images%252f..%252fferrolab.sqlite', 404],
    ['/files/images/%zz', 400],
    ['/files/images/abc/thumb.png:stream', 400],
    ['/files/images/C%3a%2fWindows%2fwin.ini', 400],
    ['/files/images/%', 400],
    ['/files/images/%e0%a4%a', 400],
    ['/files/images/passwd.png', 404],
    ['/files/images/db.png', 404],
    ['/files/images/up/ferrolab.sqlite', 404],
    ['/files/images/up/secret.txt', 404],
    ['/files/%2e%2e/secret.txt', 404],
    ['/files/tmp/../ferrolab.sqlite', 404],
    ['/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd', 404],
    ['/..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd', 404],
  ])('GET %s → %i, and not one byte of the database or /etc/passwd', async (path, status) => {
    const r = await get(path);
    expect(r.status).toBe(status);
    const text = r.raw.toString('latin1');
    expect(text).not.toContain(SQLITE_MAGIC);
    expect(text).not.toContain(passwd);
    expect(text).not.toContain('TOP SECRET');
  });

  it('refuses a malformed escape in an API path with 400, not 500', async () => {
    const r = await rawRequest(server.port, ['POST /api/billets.%zz HTTP/1.1', host, `Authorization: Bearer ${server.token}`, 'Content-Length: 2'], '{}');
    expect(r.status).toBe(400);
  });

  it('answers 413 to an API body over the limit, declared or chunked', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(2000) });
    const declared = await rawRequest(server.port, ['POST /api/billets.create HTTP/1.1', host, `Authorization: Bearer ${server.token}`, `Content-Length: ${big.length}`], big);
    expect(declared.status).toBe(413);
    const chunk = big.length.toString(16);
    const chunked = await rawRequest(server.port, ['POST /api/billets.create HTTP/1.1', host, `Authorization: Bearer ${server.token}`, 'Transfer-Encoding: chunked'], `${chunk}\r\n${big}\r\n0\r\n\r\n`);
    expect(chunked.status).toBe(413);
    expect(ctx.repos.billets.list()).toHaveLength(0);
  });

  it('answers 413 to an upload over the per-file limit or the pending cap, and keeps nothing of it', async () => {
    const up = (bytes: number, chunked = false) =>
      rawRequest(
        server.port,
        ['POST /api/upload HTTP/1.1', host, `Authorization: Bearer ${server.token}`, chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${bytes}`],
        chunked ? `${bytes.toString(16)}\r\n${'u'.repeat(bytes)}\r\n0\r\n\r\n` : 'u'.repeat(bytes),
      );
    const tooBig = await up(101);
    expect(tooBig.status).toBe(413);
    expect(tooBig.raw.toString()).toMatch(/larger than the largest importable file/);
    expect((await up(101, true)).status).toBe(413);
    expect(ctx.uploads.pendingBytes()).toBe(0);
    const first = await up(80);
    expect(first.status).toBe(200);
    const second = await up(80);
    expect(second.status).toBe(413);
    expect(second.raw.toString()).toMatch(/would exceed the cap/);
    expect(ctx.uploads.pendingBytes()).toBe(80);
  });
});
