import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { startServer, type RunningServer } from '../../../core/server/http-server.js';
import { tempContext } from '../../helpers/temp.js';

function raw(port: number, path: string, headers: Record<string, string>, body = '{}'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      let data = '';
      res.on('data', (d) => (data += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('browser-mode server', () => {
  let ctx: ReturnType<typeof tempContext>;
  let server: RunningServer;
  beforeAll(async () => {
    ctx = tempContext('browser');
    server = await startServer(ctx);
  });
  afterAll(async () => {
    await server.close();
    await ctx.dispose();
  });

  it('listens on 127.0.0.1 only and prints a URL with the token in the fragment', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/#token=[a-f0-9]{48}$`));
  });

  it('rejects a foreign Host header (DNS rebinding)', async () => {
    const r = await raw(server.port, '/api/billets.list', { Host: 'evil.example:80', Authorization: `Bearer ${server.token}` });
    expect(r.status).toBe(403);
  });

  it('answers with the same envelope as IPC, including field errors', async () => {
    const h = { Host: `127.0.0.1:${server.port}`, Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' };
    const ok = await raw(server.port, '/api/billets.create', h, JSON.stringify({ name: 'HTTP billet' }));
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { name: 'HTTP billet', nominalDiameterMm: 600 } });
    const bad = await raw(server.port, '/api/billets.create', h, JSON.stringify({ name: 'X', nominalDiameterMm: 'big' }));
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid_argument', field: 'nominalDiameterMm' } });
    const notJson = await raw(server.port, '/api/billets.create', h, '{nope');
    expect(notJson.status).toBe(400);
  });

  it('stores uploads and serves no file outside images/ and reports/', async () => {
    const h = { Host: `127.0.0.1:${server.port}`, Authorization: `Bearer ${server.token}` };
    const up = await raw(server.port, '/api/upload', h, 'hello bytes');
    const id = JSON.parse(up.body).value.uploadId as string;
    expect(id).toMatch(/^[a-f0-9]{32}$/);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(ctx.uploads.resolve(id), 'utf8')).toBe('hello bytes');
    const res = await fetch(`http://127.0.0.1:${server.port}/files/../ferrolab.sqlite?token=${server.token}`);
    expect(res.status).toBe(404);
    const res2 = await fetch(`http://127.0.0.1:${server.port}/files/tmp/upload-${id}?token=${server.token}`);
    expect(res2.status).toBe(404);
  });
});
