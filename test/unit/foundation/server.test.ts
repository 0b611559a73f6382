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

  it('listens on 127.0.0.1 only; its URLs never carry the token, a launch link carries a one-time code', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const launch = server.launchUrl();
    expect(launch).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/#code=[a-f0-9]{32}$`));
    expect(launch).not.toContain(server.token);
  });

  it('rejects a foreign Host header (DNS rebinding)', async () => {
    const r = await raw(server.port, '/api/billets.list', { Host: 'evil.example:80', Authorization: `Bearer ${server.token}` });
    expect(r.status).toBe(403);
  });

  it('answers with the same envelope as IPC, including field errors', async () => {
    const h = { Host: `127.0.0.1:${server.port}`, Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' };
    const ok = await raw(server.port, '/api/billets.create', h, JSON.stringify({ name: 'HTTP billet', nominalDiameterMm: 600 }));
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
    const auth = { Authorization: `Bearer ${server.token}` };
    const res2 = await fetch(`http://127.0.0.1:${server.port}/files/tmp/upload-${id}`, { headers: auth });
    expect(res2.status).toBe(404);
    // The token is accepted in the Authorization header only, never as ?token= (URLs end up in logs).
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(`${ctx.paths.images}/t`, { recursive: true });
    writeFileSync(`${ctx.paths.images}/t/a.png`, 'png bytes');
    expect((await fetch(`http://127.0.0.1:${server.port}/files/images/t/a.png`, { headers: auth })).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${server.port}/files/images/t/a.png?token=${server.token}`)).status).toBe(403);
    expect((await fetch(`http://127.0.0.1:${server.port}/api/events?token=${server.token}`)).status).toBe(403);
  });
});
