import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tempContext, tempDir } from '../../helpers/temp.js';
import { LOG_ENV, log, logFileIn, readLogTail, useLogFile } from '../../../core/runtime/log.js';
import { EventBus } from '../../../core/jobs/event-bus.js';
import { dispatch, dispatchEnvelope } from '../../../core/app/dispatch.js';
import type { Diagnostics } from '../../../core/api/methods/system.js';
import { latestSchemaVersion } from '../../../core/store/index.js';

const saved = process.env[LOG_ENV];
afterEach(() => {
  if (saved === undefined) delete process.env[LOG_ENV];
  else process.env[LOG_ENV] = saved;
});

const parse = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('file logger', () => {
  it('writes one JSON line per call with level, scope, message, fields and the error', () => {
    const t = tempDir();
    const file = logFileIn(t.dir);
    useLogFile(file);
    log.warn('maps', 'could not prune map previews', { dir: '/x/previews', err: Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }) });
    log.info('cli', 'started');
    const lines = parse(file);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 'warn', scope: 'maps', msg: 'could not prune map previews', dir: '/x/previews', pid: process.pid });
    expect(lines[0].err).toMatchObject({ name: 'Error', message: 'EACCES: permission denied', code: 'EACCES' });
    expect(Number.isNaN(Date.parse(lines[0].t as string))).toBe(false);
    expect(lines[1]).toMatchObject({ level: 'info', scope: 'cli', msg: 'started' });
    t.cleanup();
  });

  it('rotates once past the size cap, and the tail reads across the rotation', () => {
    const t = tempDir();
    const file = join(t.dir, 'logs', 'ferrolab.log');
    useLogFile(file, { maxBytes: 1000 });
    for (let i = 0; i < 30; i++) log.info('test', `line ${i}`, { pad: 'x'.repeat(60) });
    expect(statSync(file).size).toBeLessThanOrEqual(1000);
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(statSync(`${file}.1`).size).toBeLessThanOrEqual(1000);
    const tail = readLogTail(file, 12).map((l) => JSON.parse(l).msg);
    expect(tail).toEqual(Array.from({ length: 12 }, (_, k) => `line ${18 + k}`));
    // Only one old file is kept: the first lines are gone.
    const everything = [...parse(`${file}.1`), ...parse(file)].map((l) => l.msg);
    expect(everything).not.toContain('line 0');
    expect(everything.at(-1)).toBe('line 29');
    t.cleanup();
  });

  it('a subscriber that throws is logged with the event it failed on, and the others still get the event', () => {
    const t = tempDir();
    const file = logFileIn(t.dir);
    useLogFile(file);
    const bus = new EventBus();
    const got: string[] = [];
    bus.subscribe(() => {
      throw new Error('window closed');
    });
    bus.subscribe((ev) => got.push(ev.type));
    bus.emit({ type: 'data-changed', entity: 'billet' });
    expect(got).toEqual(['data-changed']);
    const [line] = parse(file);
    expect(line).toMatchObject({ level: 'warn', scope: 'events', event: 'data-changed' });
    expect(line.err).toMatchObject({ message: 'window closed' });
    t.cleanup();
  });
});

describe('system.diagnostics', () => {
  it('returns version, platform, backend, data folder, schema and the last log lines of this data folder', async () => {
    const ctx = tempContext();
    try {
      // The context sends the log to its data folder.
      expect(process.env[LOG_ENV]).toBe(join(ctx.paths.root, 'logs', 'ferrolab.log'));
      for (let i = 0; i < 5; i++) log.warn('test', `diagnostic marker ${i}`, { billetId: 40 + i });
      const d = (await dispatch(ctx, 'system.diagnostics', { lines: 3 })) as Diagnostics;
      expect(d.version).toBe(ctx.version);
      expect(d.platform).toContain(process.platform);
      expect(d.platform).toContain(process.arch);
      expect(d.dataDir).toBe(ctx.paths.root);
      expect(d.schemaVersion).toBe(latestSchemaVersion);
      expect(d.backend?.name).toBe('wasm');
      expect(d.backendPreference).toBe('wasm');
      expect(d.logFile).toBe(join(ctx.paths.root, 'logs', 'ferrolab.log'));
      expect(d.logLines.map((l) => JSON.parse(l).msg)).toEqual(['diagnostic marker 2', 'diagnostic marker 3', 'diagnostic marker 4']);
      expect(JSON.parse(d.logLines[2]).billetId).toBe(44);
      const bad = await dispatchEnvelope(ctx, 'system.diagnostics', { lines: 0 });
      expect(bad.ok).toBe(false);
    } finally {
      await ctx.dispose();
    }
  });
});
