import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type E2eSession } from '../helpers/browser.js';
import { log } from '../../core/runtime/log.js';
import { availableParallelism } from 'node:os';
import { defaultJobThreads } from '../../core/runtime/cores.js';
import { setWorkerCap, workerCap } from '../../core/runtime/worker.js';
import { spawn } from 'node:child_process';
import { cliEntry } from '../helpers/cli-bundle.js';
import { localClient } from '../../core/app/dispatch.js';

/** `ferrolab ARGS` as another process (a terminal beside the open app): the real CLI, bundled once. */
async function cliProcess(...args: string[]): Promise<{ code: number | null; out: string }> {
  const entry = await cliEntry();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('Settings: copy diagnostics', () => {
  let s: E2eSession;
  beforeAll(async () => {
    s = await openApp();
    await s.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(s.server.url).origin });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('copies version, platform, backend, data folder, schema and the recent log lines, and says "Copied"', async () => {
    const { page } = s;
    log.warn('e2e', 'marker for the diagnostics test', { billetId: 7 });
    await page.getByRole('button', { name: 'Settings / About' }).click();
    await page.getByTestId('about').waitFor();
    await page.getByRole('button', { name: 'Copy diagnostics' }).click();
    await page.getByTestId('diagnostics-copied').getByText('Copied').waitFor();
    const text = await page.evaluate<string>('navigator.clipboard.readText()');
    const d = JSON.parse(text) as { version: string; platform: string; dataDir: string; schemaVersion: number; backend: { name: string } | null; shell: string; logLines: string[] };
    expect(d.version).toBe(s.ctx.version);
    expect(d.dataDir).toBe(s.dataDir);
    expect(d.schemaVersion).toBe(s.ctx.schemaVersion);
    expect(d.shell).toBe('browser');
    expect(d.platform).toContain(process.platform);
    expect(d.backend?.name).toBe('wasm');
    const last = JSON.parse(d.logLines.at(-1)!);
    expect(last).toMatchObject({ scope: 'e2e', msg: 'marker for the diagnostics test', billetId: 7 });
  });

  it('Threads for jobs: shows the cap, sets it, refuses more than the cores with both numbers, and goes back to the default', async () => {
    const { page } = s;
    const cores = availableParallelism();
    const cap = workerCap();
    try {
      await page.getByRole('button', { name: 'Settings / About' }).click();
      const field = page.getByTestId('job-threads');
      await expect.poll(() => field.inputValue()).toBe(String(cap));
      expect(await page.getByTestId('job-threads-hint').textContent()).toContain(`This PC has ${cores} logical cores; the default, ${defaultJobThreads()},`);
      await field.fill(String(cores));
      await field.dispatchEvent('change');
      await expect.poll(() => workerCap()).toBe(cores);
      await field.fill(String(cores + 1));
      await field.dispatchEvent('change');
      await expect.poll(() => page.getByRole('alert').textContent()).toContain(`${cores + 1} threads is more than this PC has cores (${cores})`);
      await expect.poll(() => field.inputValue()).toBe(String(cores));
      expect(workerCap()).toBe(cores);
      // The click blurs the field, whose value the refusal had put back: that blur's change event is no second
      // request (it was one, and when it landed after the default's the cap in force went back to the typed count).
      const sets: string[] = [];
      page.on('request', (r) => {
        if (r.url().endsWith('/api/system.setJobThreads')) sets.push(r.postData() ?? '');
      });
      await page.getByTestId('job-threads-default').click();
      await expect.poll(() => workerCap()).toBe(defaultJobThreads());
      await expect.poll(() => field.inputValue()).toBe(String(defaultJobThreads()));
      expect(sets).toEqual(['{"threads":null}']);
      // On the default, typing the default's count pins it (stored: it no longer follows the cores).
      await field.fill(String(defaultJobThreads()));
      await field.dispatchEvent('change');
      await expect.poll(async () => (await localClient(s.ctx)['system.jobThreads']({})).setting).toBe(defaultJobThreads());
    } finally {
      await localClient(s.ctx)['system.setJobThreads']({ threads: null });
      setWorkerCap(cap);
    }
  });

  it('Threads for jobs set by `ferrolab threads N` on the open app’s data folder: in force from the next job, and the open Settings view then shows it', async () => {
    const { page } = s;
    const cores = availableParallelism();
    const cap = workerCap();
    try {
      await page.getByRole('button', { name: 'Settings / About' }).click();
      const field = page.getByTestId('job-threads');
      await expect.poll(() => field.inputValue()).toBe(String(cap));
      const other = cap === 1 ? cores : 1; // a count that differs from the one in force (on a 1-core PC both are 1)
      const set = await cliProcess('threads', String(other), '--data', s.dataDir);
      expect(set.code).toBe(0);
      expect(workerCap()).toBe(cap); // not read yet
      const job = s.ctx.jobs.start('test.noop', 'a job that does nothing', async () => 0);
      expect(workerCap()).toBe(other);
      await s.ctx.jobs.wait(job.id);
      await expect.poll(() => field.inputValue()).toBe(String(other));
    } finally {
      await localClient(s.ctx)['system.setJobThreads']({ threads: null }); // nothing stored for the other tests
      setWorkerCap(cap);
    }
  });
});
